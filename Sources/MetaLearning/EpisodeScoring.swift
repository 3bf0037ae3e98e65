import Embedding
import FewShot
import Foundation

/// A classifier whose per-class scores can be calibrated and thresholded as `fewshot train`
/// does it for a classifier file: the prototypes alone (`PrototypeClassifier`) or words and
/// meaning together (`HybridClassifier`).
public protocol EpisodeScoring: EpisodeClassifier, EpisodeCalibrating, EpisodeOpenSetScoring {
    /// The support examples' leave-one-out scores (each scored with its own class's prototype
    /// made without it), for the examples of classes with two or more, and their classes: what
    /// `TemperatureFit` and `OpenSetThreshold` fit on.
    func supportScores(_ episode: Episode) -> (scores: [[Float]], truth: [Int])
    /// The scores of an example for each class of the episode.
    func queryScorer(_ episode: Episode) -> (Int) -> [Float]
    /// The width of the embeddings.
    var dimension: Int { get }
    /// An embedded example's unit embedding.
    func embedding(_ example: Int) -> ArraySlice<Float>
    /// What an example's open-set score loses for its closeness to the model's background topics
    /// (`BackgroundTopics.penalty`; 0 without them).
    func openSetPenalty(_ example: Int) -> Float
}

extension EpisodeScoring {
    /// Calibration of one episode's query probabilities, softmax(T · score) over its classes:
    /// with the fixed temperature of files made before the fit, and with T fitted leave-one-out
    /// on the episode's support set (what `fewshot train` does). Also returns the fitted T.
    /// - Parameter unfitted: the temperature when the support set allows no fit (one example per class).
    public func calibration(_ episode: Episode, unfitted: Float = TemperatureFit.unfitted) -> (
        fixed: CalibrationReport, fitted: CalibrationReport, temperature: Float
    ) {
        let temperature = TemperatureFit.fitted(supportScores(episode), prior: TemperatureFit.prior) ?? unfitted
        let scorer = queryScorer(episode)
        let reports = calibrationReports(episode.query.map { $0.map(scorer) }, temperature: temperature)
        return (reports.fixed, reports.fitted, temperature)
    }

    /// An open-set episode scored as `fewshot classify --threshold auto` would: each query's
    /// score is its best score for the episode's classes less its `openSetPenalty`. Returns the
    /// AUROC of telling the episode's own queries (known) from its `unknown` ones by that score,
    /// and the accuracy at the threshold fitted on the support set alone (`OpenSetThreshold`; nil
    /// with one example per class): a known query counts as right when it is above the threshold
    /// and goes to its class, an unknown one when it is below.
    public func openSet(_ episode: Episode) -> (auroc: Double, accuracy: Double?) {
        // The rows of `supportScores`, by the rule of `TemperatureFit.usable`.
        let support = episode.support.enumerated().flatMap { position, examples in examples.map { (position, $0) } }
        let fitted = TemperatureFit.usableRows(labels: support.map(\.0), counts: episode.support.map(\.count)).map { support[$0].1 }
        let threshold = OpenSetThreshold.fitted(supportScores(episode), penalties: fitted.map(openSetPenalty))
        let scorer = queryScorer(episode)
        return openSetOutcome(known: episode.query, unknown: episode.unknown.flatMap { $0 }, threshold: threshold) { example in
            let (score, best) = bestScore(scorer(example))
            return (score - openSetPenalty(example), best)
        }
    }
}

extension PrototypeClassifier: EpisodeScoring {
    public func supportScores(_ episode: Episode) -> (scores: [[Float]], truth: [Int]) {
        let support = supportSet(episode)
        return TemperatureFit.leaveOneOutScores(
            embeddings: support.embeddings, labels: support.labels, sums: support.sums, counts: support.counts, dimension: dimension)
    }

    public func queryScorer(_ episode: Episode) -> (Int) -> [Float] {
        let prototypes = prototypes(episode)
        return { cosines($0, to: prototypes, ways: episode.ways) }
    }

    public func embedding(_ example: Int) -> ArraySlice<Float> {
        embeddings[rows[example] * dimension..<(rows[example] + 1) * dimension]
    }

    public func openSetPenalty(_ example: Int) -> Float {
        openSetPenalties.isEmpty ? 0 : openSetPenalties[rows[example]]
    }
}

extension HybridClassifier: EpisodeScoring {
    public func supportScores(_ episode: Episode) -> (scores: [[Float]], truth: [Int]) {
        let w = weight(for: episode)
        let (dense, lexical, labels) = leaveOneOutScores(episode)
        return (dense.indices.map { row in dense[row].indices.map { dense[row][$0]! + w * lexical[row][$0] } }, labels)
    }

    public func queryScorer(_ episode: Episode) -> (Int) -> [Float] {
        let w = weight(for: episode)
        let prototypes = dense.prototypes(episode)
        let centroids = w == 0 ? [] : lexical.centroids(episode)
        return { example in
            var scores = dense.cosines(example, to: prototypes, ways: episode.ways)
            if w != 0 {
                let query = lexical.vector(example)
                for k in scores.indices { scores[k] += w * LexicalTable.dot(query, centroids[k]) }
            }
            return scores
        }
    }

    public var dimension: Int { dense.dimension }
    public func embedding(_ example: Int) -> ArraySlice<Float> { dense.embedding(example) }
    public func openSetPenalty(_ example: Int) -> Float { dense.openSetPenalty(example) }
}
