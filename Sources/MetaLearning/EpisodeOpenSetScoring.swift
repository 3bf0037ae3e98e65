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
///   - known: each class's queries, in class order.
///   - unknown: the queries of no class.
///   - score: a query's open-set score and the class of its best score.
func openSetOutcome<Query>(
    known: [[Query]], unknown: [Query], threshold: Float?, score: (Query) -> (score: Float, best: Int)
) -> (auroc: Double, accuracy: Double?) {
    let knownScores = known.enumerated().flatMap { truth, queries in
        queries.map { query in
            let (value, best) = score(query)
            return (score: value, best: best, truth: truth)
        }
    }
    let unknownScores = unknown.map { score($0).score }
    var ordered = 0.0
    for query in knownScores {
        for value in unknownScores { ordered += query.score > value ? 1 : (query.score == value ? 0.5 : 0) }
    }
    let auroc = ordered / Double(max(1, knownScores.count * unknownScores.count))
    guard let threshold else { return (auroc, nil) }
    let right =
        knownScores.filter { $0.score >= threshold && $0.best == $0.truth }.count + unknownScores.filter { $0 < threshold }.count
    return (auroc, Double(right) / Double(max(1, knownScores.count + unknownScores.count)))
}

/// A row of class scores' best score and its class.
func bestScore(_ scores: [Float]) -> (score: Float, best: Int) {
    let position = scores.indices.max { scores[$0] < scores[$1] }!
    return (scores[position], position)
}
