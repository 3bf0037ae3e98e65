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
        lock.lock()
        defer { lock.unlock() }
        do {
            defer { restore() }
            let (tokens, targets) = support(episode)
            let check =
                AdaptationCheck.foldCount(targets: targets, classes: episode.ways) == 0
                ? nil : try self.check(episode, tokens: tokens, targets: targets)
            var held = plain.supportScores(episode)
            if choice == .always || check?.pays == true {
                try adapt(episode, tokens: tokens, targets: targets)
                let counts = (0..<episode.ways).map { k in targets.filter { $0 == k }.count }
                held = check.map { TemperatureFit.usable($0.adaptedScores, labels: targets, counts: counts) } ?? held
            }
            let temperature = TemperatureFit.fitted(held) ?? unfitted
            let reports = calibrationReports(try scores(episode, support: tokens, targets: targets), temperature: temperature)
            return (reports.fixed, reports.fitted, temperature)
        } catch {
            // An encoder that fails here failed on the same sequences before adaptation too.
            preconditionFailure("adapting the encoder on an episode failed: \(error)")
        }
    }
}
