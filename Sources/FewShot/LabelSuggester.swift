import Transformer

/// Picks, from a stream of unlabelled lines, the `count` most worth labelling next, in memory
/// bounded by `count` (by `representativePool` lines for `representative`) whatever the stream's
/// length (`fewshot suggest`, and the simulated sessions of `fewshot eval --active`).
///
/// - `representative` (the default): from a uniform sample of the stream, greedily the line most
///   typical of the pool and least like the lines labelled or picked so far, the classifier's
///   hesitation breaking near-ties (`RepresentativeSelection`). It needs each line's embedding
///   and the labelled lines' embeddings.
/// - `margin`: the lines whose two most probable labels are closest (the classifier hesitates
///   most), smallest margin first.
/// - `diverse`: among the `poolFactor × count` smallest margins, the most
///   uncertain line of each guessed label in turn, so that one confusing pair of labels does not
///   fill the whole batch. (Chosen on validation topics, `fewshot eval --active`: it gained more
///   over random picks than greedy farthest-first on the embeddings, with or without the labelled
///   lines counted as picked; models/README.md has the figures.)
/// - `random`: a uniform sample (reservoir sampling), the baseline any strategy must beat.
///
/// Ties go to the earlier line; `random` and `representative` sample from their own seeded stream:
/// the same stream and seed pick the same lines.
public struct LabelSuggester: Sendable {
    public enum Strategy: String, CaseIterable, Sendable {
        case representative, diverse, margin, random
    }

    public struct Candidate: Sendable {
        /// The caller's id of the line (its position in the stream).
        public let id: Int
        /// Top probability minus the runner-up's (1 with one label).
        public let margin: Float
        /// The line's text, kept for the caller to print (empty where the caller has its own).
        public let text: [UInt8]
        /// The classifier's guess for the line: a label index and its probability.
        public let guess: (label: Int, probability: Float)
        /// The line's unit embedding (`representative` only; empty otherwise).
        public var embedding: [Float] = []
    }

    public let strategy: Strategy
    public let count: Int
    /// How many uncertain lines `diverse` chooses among, per line it picks.
    public static let poolFactor = 8
    /// The uniform sample of the stream `representative` chooses among (more when `poolFactor ×
    /// count` is more): its typicality is measured within it.
    public static let representativePool = 2_000
    /// The unit embeddings of the lines labelled so far (rows × `dimension`), which
    /// `representative` does not pick near.
    public let labelled: [Float]
    public let dimension: Int
    private var kept: [Candidate] = []
    /// The texts in the reservoir of `random` and `representative`, so that a repeated line is
    /// not sampled twice (bounded like the reservoir).
    private var sampledTexts = Set<[UInt8]>()
    private var offered = 0
    private var random: SeededRandom

    /// `labelled` and `dimension`: the classifier's example embeddings, for `representative`.
    public init(strategy: Strategy, count: Int, seed: UInt64, labelled: [Float] = [], dimension: Int = 0) {
        precondition(count > 0 && (strategy != .representative || (dimension > 0 && labelled.count % dimension == 0)))
        self.strategy = strategy
        self.count = count
        self.labelled = labelled
        self.dimension = dimension
        random = SeededRandom(seed: seed, stream: 0x5547)
    }

    /// How many candidates the strategy keeps at most.
    var capacity: Int {
        switch strategy {
        case .representative: return max(Self.representativePool, count * Self.poolFactor)
        case .diverse: return count * Self.poolFactor
        case .margin, .random: return count
        }
    }

    /// The margin of a prediction: top probability minus the runner-up's.
    public static func margin(_ prediction: FewShotClassifier.Prediction) -> Float {
        guard let best = prediction.ranked.first else { return 1 }
        return best.probability - (prediction.ranked.count > 1 ? prediction.ranked[1].probability : 0)
    }

    /// Offers one line: its id, margin, text (for the caller), the classifier's guess (what
    /// `diverse` spreads over) and its unit embedding (what `representative` weighs). A line
    /// whose (non-empty) text is already kept is not kept twice: no strategy picks one text
    /// twice.
    public mutating func offer(
        id: Int, margin: Float, text: [UInt8] = [], guess: (label: Int, probability: Float), embedding: ArraySlice<Float> = []
    ) {
        switch strategy {
        case .random, .representative:
            // Reservoir sampling: every line offered so far is kept with the same probability,
            // a repeat of a text in the reservoir not offered again.
            if !text.isEmpty && sampledTexts.contains(text) { return }
            offered += 1
            var candidate = Candidate(id: id, margin: margin, text: text, guess: guess)
            if strategy == .representative {
                precondition(embedding.count == dimension, "representative needs each line's embedding")
                candidate.embedding = Array(embedding)
            }
            if kept.count < capacity {
                kept.append(candidate)
            } else {
                let slot = random.below(offered)
                guard slot < capacity else { return }
                sampledTexts.remove(kept[slot].text)
                kept[slot] = candidate
            }
            if !text.isEmpty { sampledTexts.insert(text) }
        case .margin, .diverse:
            kept.append(Candidate(id: id, margin: margin, text: text, guess: guess))
            // Trim to capacity when twice over it: amortized O(log capacity) per line.
            if kept.count >= 2 * capacity { trim() }
        }
    }

    /// Keeps the `capacity` smallest margins, the first of each text.
    private mutating func trim() {
        kept.sort { $0.margin != $1.margin ? $0.margin < $1.margin : $0.id < $1.id }
        var texts = Set<[UInt8]>()
        kept = kept.filter { $0.text.isEmpty || texts.insert($0.text).inserted }
        if kept.count > capacity { kept.removeLast(kept.count - capacity) }
    }

    /// The picked lines, in the order to label them, with their margins.
    public mutating func picked() -> [Candidate] {
        switch strategy {
        case .random:
            return kept.sorted { $0.id < $1.id }
        case .representative:
            // In stream order, so that ties go to the earlier line.
            let candidates = kept.sorted { $0.id < $1.id }
            let order = RepresentativeSelection.pick(
                embeddings: candidates.flatMap(\.embedding), margins: candidates.map(\.margin), labelled: labelled,
                dimension: dimension, count: count)
            return order.map { candidates[$0] }
        case .margin:
            trim()
            return kept
        case .diverse:
            trim()
            return Self.balanced(kept, count: count)
        }
    }

    /// Round-robin over the guessed labels (in the order of their most uncertain line): the most
    /// uncertain line of each label in turn.
    static func balanced(_ candidates: [Candidate], count: Int) -> [Candidate] {
        var byLabel: [Int: [Candidate]] = [:]
        var order: [Int] = []
        for candidate in candidates {
            if byLabel[candidate.guess.label] == nil { order.append(candidate.guess.label) }
            byLabel[candidate.guess.label, default: []].append(candidate)
        }
        var picked: [Candidate] = []
        var depth = 0
        while picked.count < min(count, candidates.count) {
            for label in order where depth < byLabel[label]!.count && picked.count < count { picked.append(byLabel[label]![depth]) }
            depth += 1
        }
        return picked
    }
}
