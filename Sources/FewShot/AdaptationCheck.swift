import Embedding
import Foundation
import Transformer

/// Whether adapting the encoder pays for one task, decided on the task's own examples, and the
/// scores the adapted classifier's probabilities are fitted on.
///
/// The examples of labels with two or more are dealt into `folds` folds, label by label in
/// order. Each fold in turn is held out: the other examples make the prototypes, once with the
/// encoder as it is and once with the encoder adapted on them (the weights put back after), and
/// the held-out ones are classified both ways, with the words added at the classifier's lexical
/// weight. Adaptation pays when it classifies at least `requiredGain` more held-out examples
/// correctly; otherwise the plain encoder stays. One more was too little: on the val topics of
/// eight genres (`benchmarks/adaptation_choice.py`) it kept adaptations that lost a point on
/// LibreOffice help, while two more lost at most 0.4 on any genre (models/README.md).
///
/// The adapted held-out scores are each example's scores by an encoder and prototypes that never
/// saw it, so they stand in for new lines as leave-one-out scores do for the plain classifier:
/// the temperature and open-set threshold are fitted on them.
public struct AdaptationCheck: Sendable {
    /// Folds held out in turn.
    public let folds: Int
    /// Examples held out and classified (those of labels with two or more examples).
    public let checked: Int
    public let plainCorrect: Int
    public let adaptedCorrect: Int
    /// Rows × labels: each checked example's held-out scores with the adapted encoder; nil rows
    /// (all labels) for examples never held out.
    public let adaptedScores: [[Float?]]
    /// The same with the encoder as it is.
    public let plainScores: [[Float?]]
    /// Each example's label.
    public let targets: [Int]

    /// Folds of the check (fewer when no label has that many examples).
    public static let folds = 4

    /// The folds a check of these labels makes (0: no label has two examples, nothing to check).
    public static func foldCount(targets: [Int], classes: Int) -> Int {
        foldCount(labelCounts(targets, classes: classes))
    }

    static func foldCount(_ labelCounts: [Int]) -> Int {
        let count = min(folds, labelCounts.max() ?? 0)
        return count >= 2 ? count : 0
    }

    /// How many examples each label has.
    static func labelCounts(_ targets: [Int], classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in targets { counts[label] += 1 }
        return counts
    }

    /// How many more held-out examples the adapted encoder must classify correctly to be kept.
    public static let requiredGain = 2

    public var pays: Bool { adaptedCorrect >= plainCorrect + Self.requiredGain }

    /// Mean over the held-out examples of (score of the true label − best other score): a
    /// smoother measure than the count correct (0 when nothing was held out).
    public func meanMargin(adapted: Bool) -> Double {
        let scores = adapted ? adaptedScores : plainScores
        var (sum, count) = (0.0, 0)
        for (row, label) in targets.enumerated() where scores[row][label] != nil {
            let known = scores[row].compactMap { $0 }
            let others = known.enumerated().filter { $0.offset != label }.map(\.element)
            sum += Double(known[label] - (others.max() ?? 0))
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }

    /// Checks `settings` on these sequences of the classifier's examples; `lexical` is the
    /// weight of the words and each example's TF-IDF vector. The encoder holds its starting
    /// weights again on return (also when it throws). `progress` hears the adaptation steps done
    /// (`settings.steps` per fold).
    public static func run(
        model: SentenceEncoder, tokens: [[Int32]], targets: [Int], classes: Int,
        lexical: (weight: Float, vectors: [LexicalTable.Vector])?, settings: AdaptationSettings, progress: (Int) -> Void = { _ in }
    ) throws -> AdaptationCheck {
        try run(
            model: model, tokens: tokens, frozen: try FrozenStates(model.encoder, sequences: tokens, settings: settings), targets: targets,
            classes: classes, lexical: lexical, settings: settings, progress: progress)
    }

    /// The same, with the layers below the update already run on `tokens` (nil when every layer
    /// adapts).
    static func run(
        model: SentenceEncoder, tokens: [[Int32]], frozen: FrozenStates?, targets: [Int], classes: Int,
        lexical: (weight: Float, vectors: [LexicalTable.Vector])?, settings: AdaptationSettings, progress: (Int) -> Void = { _ in }
    ) throws -> AdaptationCheck {
        let d = model.dimension
        /// Every example's embedding by the encoder as it is now.
        func embedded() throws -> [Float] { try FrozenStates.embeddings(of: tokens, by: model, from: frozen) }
        let counts = labelCounts(targets, classes: classes)
        let foldCount = foldCount(counts)
        var fold = [Int?](repeating: nil, count: targets.count)
        var dealt = [Int](repeating: 0, count: classes)
        for (row, label) in targets.enumerated() where counts[label] >= 2 {
            fold[row] = dealt[label] % foldCount
            dealt[label] += 1
        }
        let empty = [Float?](repeating: nil, count: classes)
        var plainScores = [[Float?]](repeating: empty, count: targets.count)
        var adaptedScores = plainScores
        let original = Array(UnsafeBufferPointer(start: model.encoder.parameters.pointer, count: model.encoder.layout.count))
        defer { model.encoder.parameters.update(from: original, count: original.count) }
        let plainEmbeddings = try embedded()
        for f in 0..<foldCount {
            let heldOut = targets.indices.filter { fold[$0] == f }
            let kept = targets.indices.filter { fold[$0] != f }
            let keptTargets = kept.map { targets[$0] }
            let lexicalPrototypes = lexical.map { lexical in
                (0..<classes).map { k in
                    LexicalTable.normalized(LexicalTable.sum(kept.filter { targets[$0] == k }.map { lexical.vectors[$0] }))
                }
            }
            func prototypes(_ embeddings: [Float]) -> [Float] {
                let rows = kept.flatMap { embeddings[$0 * d..<($0 + 1) * d] }
                return Prototypes.normalized(
                    Prototypes.sums(of: rows, labels: keptTargets, labelCount: classes, dimension: d), dimension: d)
            }
            func score(_ embeddings: [Float], into scores: inout [[Float?]]) {
                let prototypes = prototypes(embeddings)
                for row in heldOut {
                    var cosines = Prototypes.cosines(of: embeddings, row: row, to: prototypes, count: classes, dimension: d)
                    if let lexical, let lexicalPrototypes {
                        for k in cosines.indices {
                            cosines[k] += lexical.weight * LexicalTable.dot(lexical.vectors[row], lexicalPrototypes[k])
                        }
                    }
                    scores[row] = cosines
                }
            }
            score(plainEmbeddings, into: &plainScores)
            try EncoderAdaptation.adapt(
                model.encoder, tokens: kept.map { tokens[$0] }, lowerStates: frozen?.rows(of: kept), targets: keptTargets,
                classes: classes, prototypes: model.ownPart(of: prototypes(plainEmbeddings)), settings: settings
            ) { progress(f * settings.steps + $0) }
            score(try embedded(), into: &adaptedScores)
            model.encoder.parameters.update(from: original, count: original.count)
        }
        func correct(_ scores: [[Float?]]) -> Int {
            targets.indices.filter { row in
                let known = scores[row].compactMap { $0 }
                // A diverged update scores NaN: never correct, so it never pays.
                return known.count == classes && known.allSatisfy(\.isFinite)
                    && known.indices.max { known[$0] < known[$1] } == targets[row]
            }.count
        }
        return AdaptationCheck(
            folds: foldCount, checked: fold.compactMap { $0 }.count, plainCorrect: correct(plainScores),
            adaptedCorrect: correct(adaptedScores),
            adaptedScores: adaptedScores, plainScores: plainScores, targets: targets)
    }
}
