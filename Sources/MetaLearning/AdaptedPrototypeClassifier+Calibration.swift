import FewShot
import Foundation

extension AdaptedPrototypeClassifier: EpisodeCalibrating {
    /// Calibration of one episode's query probabilities as `fewshot train --finetune-steps`
    /// fits them (`FewShotClassifier.adapt`): the check runs on the support set whenever a
    /// label has two examples (with either choice, as `train` runs it); where the adapted
    /// encoder is kept, T is fitted on the check's held-out adapted scores, and elsewhere on the
    /// plain encoder's held-out support scores (`plain`). The weights are put back afterwards.
    /// Needs `plain`.
    public func calibration(_ episode: Episode, unfitted: Float) -> (
        fixed: CalibrationReport, fitted: CalibrationReport, temperature: Float
    ) {
        guard let plain else { preconditionFailure("calibrating adapted episodes needs the plain scorer") }
        return withEpisodeWeights {
            let (tokens, targets, check, keep) = try checkedSupport(episode)
            if keep { try adapt(episode, tokens: tokens, targets: targets) }
            let adaptedHeldOut =
                keep ? check.map { TemperatureFit.usable($0.adaptedScores, labels: targets, counts: episode.support.map(\.count)) } : nil
            // An adapted encoder's scores are fitted by likelihood alone (`TemperatureFit.prior`).
            let temperature =
                (adaptedHeldOut.map { TemperatureFit.fitted($0, prior: nil) }
                    ?? TemperatureFit.fitted(plain.supportScores(episode), prior: TemperatureFit.prior)) ?? unfitted
            let reports = calibrationReports(try scores(episode, support: tokens, targets: targets), temperature: temperature)
            return (reports.fixed, reports.fitted, temperature)
        }
    }
}
