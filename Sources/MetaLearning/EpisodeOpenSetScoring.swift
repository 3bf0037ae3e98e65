import FewShot

/// A classifier that scores open-set episodes (`EpisodeSampler(unknownClasses:)`) as `fewshot
/// classify --threshold auto` would with a classifier `train` made: the prototypes
/// (`EpisodeScoring`) or an encoder adapted per episode (`AdaptedPrototypeClassifier`). `fewshot
/// eval --open-set` runs either.
public protocol EpisodeOpenSetScoring: Sendable {
    /// The AUROC of telling the episode's own queries (known) from its unknown ones by their
    /// open-set score, and the accuracy at the threshold fitted on the support set alone (nil
    /// when none can be fitted: one example per class).
    func openSet(_ episode: Episode) -> (auroc: Double, accuracy: Double?)
}

/// What an open-set episode's scores give: the AUROC of the known queries' open-set scores over
/// the unknown ones' (ties count half), and, with a threshold, the accuracy at it: a known query
/// counts as right when it is at or above the threshold and its best class is its own, an
/// unknown one when it is below.
/// - Parameters:
///   - known: each known query's open-set score, the class of its best score, and its class.
///   - unknown: each unknown query's open-set score.
func openSetOutcome(known: [(score: Float, best: Int, truth: Int)], unknown: [Float], threshold: Float?) -> (
    auroc: Double, accuracy: Double?
) {
    var ordered = 0.0
    for query in known {
        for score in unknown { ordered += query.score > score ? 1 : (query.score == score ? 0.5 : 0) }
    }
    let auroc = ordered / Double(max(1, known.count * unknown.count))
    guard let threshold else { return (auroc, nil) }
    let right = known.filter { $0.score >= threshold && $0.best == $0.truth }.count + unknown.filter { $0 < threshold }.count
    return (auroc, Double(right) / Double(max(1, known.count + unknown.count)))
}
