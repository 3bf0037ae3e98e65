import Embedding
import FewShot
import Foundation

extension PrototypeClassifier {
    /// Calibration of one episode's query probabilities, softmax(T · cosine) over its classes:
    /// with the fixed temperature of files made before the fit, and with T fitted leave-one-out
    /// on the episode's support set (what `fewshot train` does). Also returns the fitted T.
    /// - Parameter unfitted: the temperature when the support set allows no fit (one example per class).
    public func calibration(_ episode: Episode, unfitted: Float = TemperatureFit.unfitted) -> (
        fixed: CalibrationReport, fitted: CalibrationReport, temperature: Float
    ) {
        let d = dimension
        let support = episode.support.enumerated().flatMap { position, examples in examples.map { (position, $0) } }
        let supportRows = support.flatMap { embeddings[rows[$0.1] * d..<(rows[$0.1] + 1) * d] }
        let sums = supportSums(episode)
        let temperature =
            TemperatureFit.fitted(
                embeddings: supportRows, labels: support.map(\.0), sums: sums, counts: episode.support.map(\.count), dimension: d)
            ?? unfitted
        let prototypes = Prototypes.normalized(sums, dimension: d)
        var fixed = CalibrationReport(), fitted = CalibrationReport()
        for (position, queries) in episode.query.enumerated() {
            for example in queries {
                let row = rows[example] * d
                let scores = (0..<episode.ways).map { k -> Float in
                    var dot: Float = 0
                    for j in 0..<d { dot += embeddings[row + j] * prototypes[k * d + j] }
                    return dot
                }
                let best = scores.indices.max { scores[$0] < scores[$1] }!
                /// The top probability of softmax(t · scores).
                func confidence(_ t: Float) -> Double { 1 / scores.reduce(0.0) { $0 + Double(Foundation.exp(t * ($1 - scores[best]))) } }
                fixed.add(confidence: confidence(TemperatureFit.fallback), correct: best == position)
                fitted.add(confidence: confidence(temperature), correct: best == position)
            }
        }
        return (fixed, fitted, temperature)
    }
}
