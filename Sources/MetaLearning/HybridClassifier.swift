import Embedding

/// Words and meaning together: a query's score for a class is its cosine to the class's dense
/// prototype plus `lexicalWeight` times its TF-IDF cosine to the class's TF-IDF centroid, and it
/// goes to the best-scoring class. Retrieval found the two complementary (dense embeddings
/// generalise across wording; TF-IDF keeps the rare words that carry a label); with weight 0
/// this is `PrototypeClassifier`. The IDF comes from the meta-train split (`TfidfBaseline`), a
/// background that holds no evaluated topic.
public struct HybridClassifier: EpisodeClassifier {
    public let dense: PrototypeClassifier
    public let lexical: TfidfBaseline
    public let lexicalWeight: Float

    public init(dense: PrototypeClassifier, lexical: TfidfBaseline, lexicalWeight: Float) {
        self.dense = dense
        self.lexical = lexical
        self.lexicalWeight = lexicalWeight
    }

    /// The hybrid score of an example for each class of the episode.
    func scores(_ example: Int, prototypes: [Float], centroids: [TfidfBaseline.SparseVector], ways: Int) -> [Float] {
        let cosines = dense.cosines(example, to: prototypes, ways: ways)
        guard lexicalWeight != 0 else { return cosines }
        let query = lexical.vector(example)
        return cosines.indices.map { cosines[$0] + lexicalWeight * LexicalTable.dot(query, centroids[$0]) }
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let prototypes = dense.prototypes(episode)
        let centroids = lexicalWeight == 0 ? [] : lexical.centroids(episode)
        return episode.query.map { queries in
            queries.map { example in
                let scores = scores(example, prototypes: prototypes, centroids: centroids, ways: episode.ways)
                return scores.indices.max { scores[$0] < scores[$1] }!
            }
        }
    }
}
