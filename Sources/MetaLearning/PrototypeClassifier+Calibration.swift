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
        let support = supportSet(episode)
        let temperature =
            TemperatureFit.fitted(
                embeddings: support.embeddings, labels: support.labels, sums: support.sums, counts: support.counts, dimension: dimension)
            ?? unfitted
        let prototypes = Prototypes.normalized(support.sums, dimension: dimension)
        var fixed = CalibrationReport(), fitted = CalibrationReport()
        for (position, queries) in episode.query.enumerated() {
            for example in queries {
                let scores = cosines(example, to: prototypes, ways: episode.ways)
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
