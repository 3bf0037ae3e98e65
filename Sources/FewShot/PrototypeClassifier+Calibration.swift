import Foundation

extension PrototypeClassifier {
    /// Calibration of one episode's query probabilities, softmax(T · cosine) over its classes:
    /// with the fixed temperature of files made before the fit, and with T fitted leave-one-out
    /// on the episode's support set (what `fewshot train` does). Also returns the fitted T.
    public func calibration(_ episode: Episode) -> (fixed: CalibrationReport, fitted: CalibrationReport, temperature: Float) {
        let d = dimension
        var sums = [Float](repeating: 0, count: episode.ways * d)
        var supportRows: [Float] = []
        var supportLabels: [Int] = []
        for (position, support) in episode.support.enumerated() {
            for example in support {
                let row = rows[example] * d
                supportRows += embeddings[row..<row + d]
                supportLabels.append(position)
                for j in 0..<d { sums[position * d + j] += embeddings[row + j] }
            }
        }
        let counts = episode.support.map(\.count)
        let fit = TemperatureFit.leaveOneOutScores(embeddings: supportRows, labels: supportLabels, sums: sums, counts: counts, dimension: d)
        let temperature = fit.scores.count >= 2 ? TemperatureFit.fit(scores: fit.scores, truth: fit.truth) : TemperatureFit.fallback
        var prototypes = sums
        for position in 0..<episode.ways {
            var norm: Float = 0
            for j in 0..<d { norm += prototypes[position * d + j] * prototypes[position * d + j] }
            for j in 0..<d { prototypes[position * d + j] /= max(norm.squareRoot(), 1e-12) }
        }
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
