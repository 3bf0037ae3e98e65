import Embedding
import FewShot

extension PrototypeClassifier {
    /// An open-set episode scored as `fewshot classify --threshold auto` would: each query's
    /// score is its best cosine to the episode's prototypes. Returns the AUROC of telling the
    /// episode's own queries (known) from its `unknown` ones by that score, and the accuracy at
    /// the threshold fitted on the support set alone (`OpenSetThreshold`; nil with one example
    /// per class): a known query counts as right when it is above the threshold and goes to its
    /// class, an unknown one when it is below.
    public func openSet(_ episode: Episode) -> (auroc: Double, accuracy: Double?) {
        let support = supportSet(episode)
        let threshold = OpenSetThreshold.fitted(
            embeddings: support.embeddings, labels: support.labels, sums: support.sums, counts: support.counts, dimension: dimension)
        let prototypes = Prototypes.normalized(support.sums, dimension: dimension)
        /// The best cosine of an example to the prototypes, and the class that has it.
        func best(_ example: Int) -> (score: Float, position: Int) {
            let scores = cosines(example, to: prototypes, ways: episode.ways)
            let position = scores.indices.max { scores[$0] < scores[$1] }!
            return (scores[position], position)
        }
        let known = episode.query.enumerated().flatMap { position, examples in examples.map { (best($0), position) } }
        let unknown = episode.unknown.flatMap { $0 }.map { best($0).score }
        var ordered = 0.0
        for (query, _) in known {
            for score in unknown { ordered += query.score > score ? 1 : (query.score == score ? 0.5 : 0) }
        }
        let auroc = ordered / Double(max(1, known.count * unknown.count))
        guard let threshold else { return (auroc, nil) }
        let right =
            known.filter { $0.0.score >= threshold && $0.0.position == $0.1 }.count + unknown.filter { $0 < threshold }.count
        return (auroc, Double(right) / Double(max(1, known.count + unknown.count)))
    }
}
