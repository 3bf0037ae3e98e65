import FewShot

extension AdaptedPrototypeClassifier: EpisodeOpenSetScoring {
    /// An open-set episode as a classifier `train --finetune-steps` made would score it
    /// (`FewShotClassifier.adapt`): the check runs on the support set whenever a label has two
    /// examples. Where the adapted encoder is kept, a query's open-set score is its best score
    /// alone (the adapted encoder drops the model's background topics) and the threshold is
    /// fitted on the check's held-out adapted scores; elsewhere the episode is the plain
    /// encoder's (`plain`, background included). The weights are put back afterwards. Needs
    /// `plain`.
    public func openSet(_ episode: Episode) -> (auroc: Double, accuracy: Double?) {
        guard let plain else { preconditionFailure("open-set episodes of an adapted encoder need the plain scorer") }
        return withEpisodeWeights {
            let (tokens, targets, check, keep) = try checkedSupport(episode)
            guard keep else { return plain.openSet(episode) }
            try adapt(episode, tokens: tokens, targets: targets)
            let threshold = check.flatMap {
                OpenSetThreshold.fitted(TemperatureFit.usable($0.adaptedScores, labels: targets, counts: episode.support.map(\.count)))
            }
            // The known queries' classes first, then the unknown labels', in one pass.
            let scored = try scores(episode, support: tokens, targets: targets, queries: episode.query + episode.unknown)
            return openSetOutcome(
                known: Array(scored.prefix(episode.query.count)), unknown: scored.dropFirst(episode.query.count).flatMap { $0 },
                threshold: threshold, score: bestScore)
        }
    }
}
