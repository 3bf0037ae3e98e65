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
        let d = dimension
        let support = episode.support.enumerated().flatMap { position, examples in examples.map { (position, $0) } }
        let sums = supportSums(episode)
        let threshold = OpenSetThreshold.fitted(
            embeddings: support.flatMap { embeddings[rows[$0.1] * d..<(rows[$0.1] + 1) * d] }, labels: support.map(\.0), sums: sums,
            counts: episode.support.map(\.count), dimension: d)
        let prototypes = Prototypes.normalized(sums, dimension: d)
        /// The best cosine of an example to the prototypes, and the class that has it.
        func best(_ example: Int) -> (score: Float, position: Int) {
            let row = rows[example] * d
            var result = (score: -Float.infinity, position: 0)
            for position in 0..<episode.ways {
                var dot: Float = 0
                for j in 0..<d { dot += embeddings[row + j] * prototypes[position * d + j] }
                if dot > result.score { result = (dot, position) }
            }
            return result
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
