import Embedding

/// Words and meaning together: a query's score for a class is its cosine to the class's dense
/// prototype plus a weight times its TF-IDF cosine to the class's TF-IDF centroid, and it goes to
/// the best-scoring class. Retrieval found the two complementary (dense embeddings generalise
/// across wording; TF-IDF keeps the rare words that carry a label); with weight 0 this is
/// `PrototypeClassifier`. The IDF comes from the meta-train split (`TfidfBaseline`), a background
/// that holds no evaluated topic.
public struct HybridClassifier: EpisodeClassifier {
    /// How the weight of the words is set.
    public enum Weight: Sendable {
        /// The same for every episode (chosen on validation topics).
        case fixed(Float)
        /// Per episode, the weight of `grid` whose leave-one-out accuracy on the support set is
        /// best (each support example classified by prototypes made without it); ties, and
        /// support sets with one example per class, take the one closest to `prior`.
        case leaveOneOut(grid: [Float], prior: Float)

        /// True for a weight that is the same in every episode.
        public var isFixed: Bool {
            if case .fixed = self { return true }
            return false
        }

        /// False for the fixed weight 0: the embeddings alone.
        public var usesWords: Bool {
            if case .fixed(let value) = self { return value != 0 }
            return true
        }
    }

    public let dense: PrototypeClassifier
    public let lexical: TfidfBaseline
    public let weight: Weight

    public init(dense: PrototypeClassifier, lexical: TfidfBaseline, weight: Weight) {
        self.dense = dense
        self.lexical = lexical
        self.weight = weight
    }

    public init(dense: PrototypeClassifier, lexical: TfidfBaseline, lexicalWeight: Float) {
        self.init(dense: dense, lexical: lexical, weight: .fixed(lexicalWeight))
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let scorer = queryScorer(episode)
        return episode.query.map { queries in
            queries.map { example in
                let scores = scorer(example)
                return scores.indices.max { scores[$0] < scores[$1] }!
            }
        }
    }

    /// The weight this episode is scored with.
    func weight(for episode: Episode) -> Float {
        switch weight {
        case .fixed(let value): return value
        case .leaveOneOut(let grid, let prior):
            let (denseScores, lexicalScores, labels) = leaveOneOutScores(episode)
            func closest(_ candidates: [Float]) -> Float { candidates.min { abs($0 - prior) < abs($1 - prior) } ?? prior }
            guard !labels.isEmpty else { return prior }
            let correct = grid.map { w in
                labels.indices.filter { row in
                    let scores = denseScores[row].indices.map { (denseScores[row][$0] ?? -.infinity) + w * lexicalScores[row][$0] }
                    return scores.indices.max { scores[$0] < scores[$1] } == labels[row]
                }.count
            }
            let best = correct.max()!
            return closest(grid.indices.filter { correct[$0] == best }.map { grid[$0] })
        }
    }

    /// For each support example of a class with two or more, its dense and TF-IDF cosines to
    /// every class, its own class's prototype and centroid made without it (and rescaled to what a
    /// new line would score, as `fewshot train` scores its examples); and its class.
    func leaveOneOutScores(_ episode: Episode) -> (dense: [[Float?]], lexical: [[Float]], labels: [Int]) {
        let support = dense.supportSet(episode)
        let cosines = Prototypes.leaveOneOutCosines(
            embeddings: support.embeddings, memberships: support.labels.map { [$0] }, sums: support.sums, counts: support.counts,
            dimension: dense.dimension)
        let vectors = episode.support.map { $0.map(lexical.vector) }
        let sums = vectors.map(LexicalTable.sum)
        let centroids = sums.map(LexicalTable.normalized)
        var (denseRows, lexicalRows, labels) = ([[Float?]](), [[Float]](), [Int]())
        for (row, label) in support.labels.enumerated() where support.counts[label] > 1 {
            let vector = vectors[label][row - support.labels.firstIndex(of: label)!]
            lexicalRows.append(
                centroids.indices.map { k in
                    k == label
                        ? LexicalTable.heldOutCosine(vector, from: sums[k], count: vectors[k].count)
                        : LexicalTable.dot(vector, centroids[k])
                })
            denseRows.append(cosines[row])
            labels.append(label)
        }
        return (denseRows, lexicalRows, labels)
    }
}
