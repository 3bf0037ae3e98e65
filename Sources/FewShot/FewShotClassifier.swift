import Embedding
import Foundation
import Transformer

/// A classifier built from a handful of labelled lines: the encoder, the stored examples
/// (`ExampleMemory`: each one's embedding and labels, and its text unless the user chose not to
/// keep texts), and the `ProbabilityFit` fitted on them. The examples are the one source of
/// truth: each label's prototype is the mean of its examples' embeddings, summed again from them
/// whenever they change, and every change (adding, forgetting, keeping the last N, merging,
/// re-embedding) goes through `replaceExamples`, so the result is always the classifier trained
/// on exactly the examples it keeps.
///
/// Stored as a `.fsc` file (`FewShotClassifier+File`); files of versions 1 and 2 load through
/// `FewShotClassifier+LegacyFile`, and a version-1 file, which keeps no examples, can classify
/// but not change.
public final class FewShotClassifier: @unchecked Sendable {
    public let model: SentenceEncoder
    public private(set) var labels: [String] = []
    /// The examples, in the order added (later is more recent); nil only for a file written
    /// before classifiers kept them, whose prototypes are read from it as they are.
    public internal(set) var memory: ExampleMemory?
    /// Temperature, open-set threshold, multi-label thresholds: fitted on `memory`.
    public internal(set) var fit: ProbabilityFit
    /// Per label, the sum of its examples' embeddings (labels × dimension) and their count:
    /// derived from `memory`.
    public private(set) var sums: [Float] = []
    public private(set) var counts: [Int] = []
    /// Unit-length prototypes (the sums' directions), what classification scores against.
    private var unitPrototypes: [Float] = []
    /// Per label, the sum of its examples' TF-IDF vectors and its unit-length direction (the
    /// lexical prototype); empty when the examples keep no TF-IDF vectors.
    private(set) var lexicalSums: [LexicalTable.Vector] = []
    private var lexicalPrototypes: [LexicalTable.Vector] = []
    /// Both kinds of prototype, laid out for scoring lines (derived from them).
    private var scorer = LabelScorer(prototypes: [], count: 0, dimension: 0, lexical: [])

    /// The weight of the lexical score when the classifier uses it (a weight above 0, the
    /// encoder's lexicon and every example's TF-IDF vector); nil for the embeddings alone.
    public var activeLexicalWeight: Float? {
        guard let weight = fit.lexicalWeight, weight > 0, model.lexicon != nil, memory?.lexicalTerms != nil else { return nil }
        return weight
    }

    /// Several labels per line (`addMultiLabel`): each label scores on its own.
    public var isMultiLabel: Bool { fit.multiLabel != nil }

    /// A classifier with no labels yet; `keepsTexts: false` stores examples without their texts.
    /// With a lexicon in the encoder (and texts kept), scores are hybrid with the lexicon's weight.
    public init(model: SentenceEncoder, keepsTexts: Bool = true) {
        self.model = model
        memory = ExampleMemory(dimension: model.dimension, keepsTexts: keepsTexts, keepsLexical: model.lexicon != nil)
        fit = .unfitted(multiLabel: false, fixedTemperature: nil, lexicalWeight: keepsTexts ? model.lexicon?.weight : nil)
    }

    /// A classifier of a file that keeps no examples: its prototypes as the file has them.
    init(model: SentenceEncoder, labels: [String], sums: [Float], counts: [Int], fit: ProbabilityFit) {
        self.model = model
        self.fit = fit
        setDerived(labels: labels, sums: sums, counts: counts)
    }

    /// Adds labelled examples (label, text bytes); new labels are appended in order of appearance.
    public func add(_ examples: [(label: String, text: [UInt8])]) throws {
        guard !isMultiLabel else {
            throw ClassifierError.mixedLabelModes("'\(model.path)' is multi-label; add examples with --multi-label")
        }
        try addExamples(examples.map { [$0.label] }, texts: examples.map(\.text))
    }

    /// Embeds the texts and appends them to the stored examples under these labels (new ones
    /// appended to `labels`), then refits.
    func addExamples(_ labelLists: [[String]], texts: [[UInt8]]) throws {
        var memory = try requireMemory()
        var labels = self.labels
        let memberships = labelLists.map { Self.indices(of: $0, extending: &labels) }
        let tokens = model.tokenize(texts)
        memory.append(
            embeddings: try model.embed(tokenized: tokens), memberships: memberships, texts: texts,
            lexical: model.lexicon.map { lexicon in tokens.map(lexicon.vector) })
        replaceExamples(memory, labels: labels)
    }

    /// The index of each label in `labels`, appending those it lacks.
    static func indices(of wanted: [String], extending labels: inout [String]) -> [Int] {
        wanted.map { label in
            if let known = labels.firstIndex(of: label) { return known }
            labels.append(label)
            return labels.count - 1
        }
    }

    /// The one way a classifier changes: `memory` (label indices into `labels`) becomes its
    /// examples. Examples left with no label are dropped, and so are labels left with no example;
    /// the prototypes are summed again from what stays and the probabilities fitted on it (a
    /// fixed temperature stays fixed).
    func replaceExamples(_ memory: ExampleMemory, labels: [String]) {
        let used = Set(memory.memberships.joined())
        let keptLabels = labels.indices.filter { used.contains($0) }
        var labelMap = [Int?](repeating: nil, count: labels.count)
        for (new, old) in keptLabels.enumerated() { labelMap[old] = new }
        let rows = memory.memberships.indices.filter { !memory.memberships[$0].isEmpty }
        let kept = memory.selecting(rows, memberships: rows.map { memory.memberships[$0].compactMap { labelMap[$0] } })
        let (sums, counts) = kept.sumsAndCounts(labelCount: keptLabels.count)
        self.memory = kept
        setDerived(labels: keptLabels.map { labels[$0] }, sums: sums, counts: counts)
        // A multi-label classifier has no open-set threshold, so no penalty to fit it with.
        let penalties = isMultiLabel ? nil : model.background?.penalties(of: kept.embeddings, rows: 0..<kept.count)
        fit = .fitted(
            leaveOneOut: leaveOneOutScores(kept), memberships: kept.memberships, counts: counts, multiLabel: isMultiLabel,
            fixedTemperature: fit.temperatureIsFixed ? fit.temperature : nil, lexicalWeight: fit.lexicalWeight,
            openSetPenalties: penalties)
    }

    /// Each stored example's score for each label with its own labels' prototypes made without
    /// it and rescaled to what a new line would score (`Prototypes.leaveOneOutCosines`; nil
    /// where it is a label's only example): the cosine, plus the lexical weight times the TF-IDF
    /// cosine when the classifier uses words.
    func leaveOneOutScores(_ memory: ExampleMemory) -> [[Float?]] {
        var scores = Prototypes.leaveOneOutCosines(
            embeddings: memory.embeddings, memberships: memory.memberships, sums: sums, counts: counts, dimension: model.dimension)
        guard let weight = activeLexicalWeight else { return scores }
        for row in scores.indices {
            let vector = memory.lexicalVector(row)!
            for k in scores[row].indices {
                guard let dense = scores[row][k] else { continue }
                let words =
                    memory.memberships[row].contains(k)
                    ? LexicalTable.heldOutCosine(vector, from: lexicalSums[k], count: counts[k])
                    : LexicalTable.dot(vector, lexicalPrototypes[k])
                scores[row][k] = dense + weight * words
            }
        }
        return scores
    }

    /// Sets the labels and what is derived from the examples, without fitting (a loaded file
    /// brings its fit).
    func setDerived(labels: [String], sums: [Float], counts: [Int]) {
        self.labels = labels
        self.sums = sums
        self.counts = counts
        unitPrototypes = Prototypes.normalized(sums, dimension: model.dimension)
        lexicalSums = []
        if let memory, memory.lexicalTerms != nil {
            var perLabel = [[LexicalTable.Vector]](repeating: [], count: labels.count)
            for row in 0..<memory.count {
                let vector = memory.lexicalVector(row)!
                for k in memory.memberships[row] { perLabel[k].append(vector) }
            }
            lexicalSums = perLabel.map(LexicalTable.sum)
        }
        lexicalPrototypes = lexicalSums.map(LexicalTable.normalized)
        scorer = LabelScorer(prototypes: unitPrototypes, count: labels.count, dimension: model.dimension, lexical: lexicalPrototypes)
    }

    /// Fixes the softmax temperature at `value`, kept through every later change; nil releases
    /// it to be fitted on the examples again.
    public func fixTemperature(_ value: Float?) throws {
        let memory = try requireMemory()
        fit.temperatureIsFixed = value != nil
        if let value { fit.temperature = value }
        replaceExamples(memory, labels: labels)
    }

    /// Sets the weight of the lexical score (0: the embeddings alone) and fits again; a weight
    /// above 0 needs the examples' TF-IDF vectors (an encoder with a lexicon, texts kept).
    public func setLexicalWeight(_ weight: Float) throws {
        let memory = try requireMemory()
        guard weight == 0 || (model.lexicon != nil && memory.lexicalTerms != nil) else {
            throw ClassifierError.noLexicalVectors(model.path)
        }
        fit.lexicalWeight = weight
        replaceExamples(memory, labels: labels)
    }

    /// Makes the classifier multi-label before its first examples; the user's choices (a fixed
    /// temperature, the lexical weight) stay.
    func becomeMultiLabel() {
        precondition(labels.isEmpty)
        fit = .unfitted(
            multiLabel: true, fixedTemperature: fit.temperatureIsFixed ? fit.temperature : nil, lexicalWeight: fit.lexicalWeight)
    }

    /// The stored examples, or the error that says this file keeps none and cannot change.
    public func requireMemory() throws -> ExampleMemory {
        guard let memory else { throw ClassifierError.noStoredExamples(model.path) }
        return memory
    }

    /// Unit-length prototypes, label by label.
    public func prototypes() -> [Float] { unitPrototypes }

    /// Classifies token sequences (as `model.tokenize` gives them); `openSet`: also each line's
    /// open-set score (what `--threshold auto` compares), which costs the closeness to every
    /// background topic.
    public func classify(tokenized: [[Int32]], openSet: Bool = false) throws -> [Prediction] {
        var predictions = [Prediction](repeating: Prediction(ranked: []), count: tokenized.count)
        try scoreLines(tokenized, openSet: openSet) { line, _, _, scores, penalty in
            predictions[line] = prediction(scores, openSetPenalty: penalty)
        }
        return predictions
    }

    /// Embeds the lines with text (more than [CLS] and [SEP]) and hands each one's index, its
    /// embedding, its TF-IDF vector (when the lexical score is active), its score for every label
    /// and, with `openSet`, what its open-set score loses (`BackgroundTopics.penalty`) to `visit`,
    /// in line order: what `classify` and `explain` share.
    func scoreLines(
        _ tokenized: [[Int32]], openSet: Bool = false,
        _ visit: (_ line: Int, _ embedding: ArraySlice<Float>, _ vector: LexicalTable.Vector?, _ scores: [Float], _ penalty: Float?)
            -> Void
    ) throws {
        let nonEmpty = tokenized.indices.filter { tokenized[$0].count > 2 }
        let embeddings = try model.embed(tokenized: nonEmpty.map { tokenized[$0] })
        let lexical = activeLexicalWeight.flatMap { weight in model.lexicon.map { (weight, $0) } }
        let d = model.dimension
        let scorer = self.scorer
        // Scored over the threads (for a static model this is a third of the work, and the
        // background penalty as much again), visited in order. A multi-label classifier has no
        // open-set threshold: its penalty is 0.
        let background = openSet && !isMultiLabel ? model.background : nil
        let scored = Parallel.mapChunks(count: nonEmpty.count, minimumPerWorker: 32) { rows in
            let penalties = background?.penalties(of: embeddings, rows: rows)
            return rows.map { row -> (scores: [Float], vector: LexicalTable.Vector?, penalty: Float?) in
                var scores = scorer.cosines(of: embeddings, row: row)
                let penalty = openSet ? penalties?[row - rows.lowerBound] ?? 0 : nil
                guard let (weight, lexicon) = lexical else { return (scores, nil, penalty) }
                let vector = lexicon.vector(tokenized[nonEmpty[row]])
                scorer.addLexical(vector, weight: weight, to: &scores)
                return (scores, vector, penalty)
            }
        }
        for (row, line) in nonEmpty.enumerated() {
            visit(line, embeddings[row * d..<(row + 1) * d], scored[row].vector, scored[row].scores, scored[row].penalty)
        }
    }

    /// Classifies token sequences and hands each line with text its prediction and unit
    /// embedding, in line order (what `suggest` weighs a line's typicality by).
    public func classify(tokenized: [[Int32]], visit: (_ line: Int, _ prediction: Prediction, _ embedding: ArraySlice<Float>) -> Void)
        throws
    {
        try scoreLines(tokenized) { line, embedding, _, scores, _ in visit(line, prediction(scores, openSetPenalty: nil), embedding) }
    }

    public func classify(lines: [[UInt8]], openSet: Bool = false) throws -> [Prediction] {
        try classify(tokenized: model.tokenize(lines), openSet: openSet)
    }

    /// Per label, its probability given the line's cosines to the prototypes: a softmax over
    /// labels, or each label's own sigmoid for a multi-label classifier.
    func probabilities(_ cosines: [Float]) -> [Float] {
        if let multiLabel = fit.multiLabel {
            return cosines.indices.map {
                MultiLabelFit.probability(cosine: cosines[$0], threshold: multiLabel.thresholds[$0], slope: multiLabel.slope)
            }
        }
        return TemperatureFit.softmax(cosines, temperature: fit.temperature)
    }

    /// The prediction for a line's scores (one per label), with its open-set score when given
    /// its `openSetPenalty`.
    func prediction(_ scores: [Float], openSetPenalty penalty: Float?) -> Prediction {
        Prediction(probabilities: probabilities(scores), openSetScore: penalty.map { (scores.max() ?? 0) - $0 })
    }
}
