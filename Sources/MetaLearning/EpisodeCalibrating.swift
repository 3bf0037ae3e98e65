import FewShot
import Foundation

/// A classifier whose episode probabilities can be calibrated as `fewshot train` fits them:
/// the prototypes (`EpisodeScoring`) or an encoder adapted per episode
/// (`AdaptedPrototypeClassifier`). `fewshot eval --calibration` runs either.
public protocol EpisodeCalibrating: Sendable {
    /// Calibration of one episode's query probabilities, softmax(T · score) over its classes:
    /// with the fixed temperature of files made before the fit, and with T fitted on the
    /// episode's support set (`unfitted` when it allows no fit). Also returns the fitted T.
    func calibration(_ episode: Episode, unfitted: Float) -> (fixed: CalibrationReport, fitted: CalibrationReport, temperature: Float)
}

/// The calibration reports of an episode's query scores (for each class's queries, in order,
/// their score for each class) at `TemperatureFit.fallback` and at `temperature`.
func calibrationReports(_ queryScores: [[[Float]]], temperature: Float) -> (fixed: CalibrationReport, fitted: CalibrationReport) {
    var fixed = CalibrationReport(), fitted = CalibrationReport()
    for (position, queries) in queryScores.enumerated() {
        for scores in queries {
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            /// The top probability of softmax(t · scores).
            func confidence(_ t: Float) -> Double { 1 / scores.reduce(0.0) { $0 + Double(Foundation.exp(t * ($1 - scores[best]))) } }
            fixed.add(confidence: confidence(TemperatureFit.fallback), correct: best == position)
            fitted.add(confidence: confidence(temperature), correct: best == position)
        }
    }
    return (fixed, fitted)
}
