import Corpus
import Embedding
import FewShot
import Foundation
import Transformer

/// Nearest prototype after a per-episode update of the encoder (`eval --finetune-steps`): for
/// each episode the encoder is adapted on the support set (`EncoderAdaptation`, as `train
/// --finetune-steps` adapts it), the support and queries are embedded with the adapted weights,
/// and the weights are put back bit for bit before the next episode. With a lexical weight the
/// scores add the words, as `HybridClassifier` does. This is what an adapted classifier would
/// score on that episode, so the table says whether the update pays.
///
/// Episodes run one at a time (the encoder is shared; its kernels use every core), so the same
/// seed gives the same numbers on any machine with the same kernels.
public final class AdaptedPrototypeClassifier: EpisodeClassifier, @unchecked Sendable {
    let model: SentenceEncoder
    let index: CorpusIndex
    let settings: AdaptationSettings
    /// `.auto`: adapt only in episodes where `AdaptationCheck` on the support set says it pays,
    /// as `train` chooses; `.always`: adapt in every episode (no check).
    let choice: AdaptationChoice
    /// Episodes checked, and those where the check kept the adapted encoder (under `lock`).
    public private(set) var checkedEpisodes = 0
    public private(set) var keptAdapted = 0
    /// With `recording`, one record per episode, in the order they ran (under `lock`); the
    /// check then runs and both encoders score the queries in every episode.
    public private(set) var records: [AdaptationRecord]?
    /// The TF-IDF the scores add, times `lexicalWeight` (nil or 0: the adapted embeddings alone).
    let lexical: TfidfBaseline?
    let lexicalWeight: Float
    /// The encoder as it is, scored as `fewshot train` scores it (with the words where they are
    /// used): its held-out support scores are what the probabilities are fitted on in the
    /// episodes where the check keeps the encoder as it is (`calibration`).
    let plain: (any EpisodeScoring)?
    /// The weights every episode starts from.
    let original: [Float]
    let lock = NSLock()

    public init(
        model: SentenceEncoder, index: CorpusIndex, settings: AdaptationSettings, choice: AdaptationChoice = .always,
        lexical: TfidfBaseline? = nil, lexicalWeight: Float = 0, recording: Bool = false, plain: (any EpisodeScoring)? = nil
    ) {
        (self.model, self.index, self.settings, self.choice, self.plain) = (model, index, settings, choice, plain)
        records = recording ? [] : nil
        (self.lexical, self.lexicalWeight) = (lexicalWeight == 0 ? nil : lexical, lexicalWeight)
        let parameters = model.encoder.parameters
        original = Array(UnsafeBufferPointer(start: parameters.pointer, count: model.encoder.layout.count))
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        scores(episode).map { classQueries in classQueries.map { scores in scores.indices.max { scores[$0] < scores[$1] }! } }
    }

    /// For each class's queries, in order, their cosines to the adapted prototypes.
    func scores(_ episode: Episode) -> [[[Float]]] {
        withEpisodeWeights { try adaptedScores(episode) }
    }

    /// Runs `body` alone (the encoder is shared) and puts the starting weights back after it.
    func withEpisodeWeights<Result>(_ body: () throws -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        do {
            defer { restore() }
            return try body()
        } catch {
            // An encoder that fails here failed on the same sequences before adaptation too.
            preconditionFailure("adapting the encoder on an episode failed: \(error)")
        }
    }

    func adaptedScores(_ episode: Episode) throws -> [[[Float]]] {
        let (supportTokens, targets) = support(episode)
        var check: AdaptationCheck?
        if choice == .auto || records != nil { check = try self.check(episode, tokens: supportTokens, targets: targets) }
        let keep = choice == .always || check?.pays == true
        if choice == .auto {
            checkedEpisodes += 1
            if keep { keptAdapted += 1 }
        }
        let recording = records != nil
        if !keep && !recording { return try scores(episode, support: supportTokens, targets: targets) }
        let plainScores = recording ? try scores(episode, support: supportTokens, targets: targets) : nil
        try adapt(episode, tokens: supportTokens, targets: targets)
        let adapted = try scores(episode, support: supportTokens, targets: targets)
        if let check, let plainScores {
            func accuracy(_ scores: [[[Float]]]) -> Double {
                let predictions = scores.map { $0.map { row in row.indices.max { row[$0] < row[$1] }! } }
                let correct = predictions.enumerated().map { position, labels in labels.filter { $0 == position }.count }.reduce(0, +)
                return Double(correct) / Double(predictions.joined().count)
            }
            records?.append(
                AdaptationRecord(
                    family: index.labels[episode.classes[0]].family, checked: check.checked, plainCorrect: check.plainCorrect,
                    adaptedCorrect: check.adaptedCorrect, plainMargin: check.meanMargin(adapted: false),
                    adaptedMargin: check.meanMargin(adapted: true), kept: keep, plainAccuracy: accuracy(plainScores),
                    adaptedAccuracy: accuracy(adapted)))
        }
        return keep ? adapted : plainScores!
    }

    /// The support set's tokens (class after class) and the position of each one's class.
    func support(_ episode: Episode) -> (tokens: [[Int32]], targets: [Int]) {
        let support = episode.support.enumerated().flatMap { position, examples in examples.map { (position, $0) } }
        return (ExampleTokens.ids(of: support.map(\.1), in: index, for: model), support.map(\.0))
    }

    /// The support set, and `train`'s check and choice on it (`FewShotClassifier.adapt`): the
    /// check runs whenever a label has two examples, with either choice, and the adapted encoder
    /// is kept always or where the check says it pays. What a classifier's fit reads.
    func checkedSupport(_ episode: Episode) throws -> (tokens: [[Int32]], targets: [Int], check: AdaptationCheck?, keep: Bool) {
        let (tokens, targets) = support(episode)
        let check =
            AdaptationCheck.foldCount(targets: targets, classes: episode.ways) == 0
            ? nil : try self.check(episode, tokens: tokens, targets: targets)
        return (tokens, targets, check, choice == .always || check?.pays == true)
    }

    /// `AdaptationCheck` on the support set, words included where the scores use them.
    func check(_ episode: Episode, tokens: [[Int32]], targets: [Int]) throws -> AdaptationCheck {
        let examples = episode.support.flatMap { $0 }
        return try AdaptationCheck.run(
            model: model, tokens: tokens, targets: targets, classes: episode.ways,
            lexical: lexical.map { lexical in (lexicalWeight, examples.map { lexical.vector($0) }) }, settings: settings)
    }

    /// Adapts the encoder on the support set, from the prototypes of its present embeddings.
    func adapt(_ episode: Episode, tokens: [[Int32]], targets: [Int]) throws {
        try EncoderAdaptation.adaptFromPresentPrototypes(
            model, tokens: tokens, targets: targets, classes: episode.ways, settings: settings)
    }

    /// The queries' scores with the encoder as it now is: the support set and the queries
    /// through it in one pass (support rows first), the prototypes of the support rows.
    /// `queries` (by default the episode's): for each class, the examples to score.
    func scores(_ episode: Episode, support supportTokens: [[Int32]], targets: [Int], queries: [[Int]]? = nil) throws -> [[[Float]]] {
        let queries = queries ?? episode.query
        let d = model.dimension
        func prototypes(_ embeddings: [Float]) -> [Float] {
            Prototypes.normalized(Prototypes.sums(of: embeddings, labels: targets, labelCount: episode.ways, dimension: d), dimension: d)
        }
        let queryTokens = ExampleTokens.ids(of: queries.flatMap { $0 }, in: index, for: model)
        let embedded = try model.embed(tokenized: supportTokens + queryTokens)
        let adaptedPrototypes = prototypes(Array(embedded[..<(supportTokens.count * d)]))
        let centroids = lexical?.centroids(episode) ?? []
        var row = supportTokens.count
        return queries.map { classQueries in
            classQueries.map { example in
                defer { row += 1 }
                var scores = Prototypes.cosines(of: embedded, row: row, to: adaptedPrototypes, count: episode.ways, dimension: d)
                if let lexical {
                    let query = lexical.vector(example)
                    for k in scores.indices { scores[k] += lexicalWeight * LexicalTable.dot(query, centroids[k]) }
                }
                return scores
            }
        }
    }

    /// Puts the episode's starting weights back (and tells the encoder its packed copies are stale).
    func restore() {
        model.encoder.parameters.update(from: original, count: original.count)
    }

    /// True when the encoder holds exactly the weights it started with.
    public var holdsOriginalWeights: Bool {
        let parameters = model.encoder.parameters
        return original.withUnsafeBufferPointer { $0.elementsEqual(UnsafeBufferPointer(start: parameters.pointer, count: original.count)) }
    }
}
