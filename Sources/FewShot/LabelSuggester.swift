import Transformer

/// Picks, from a stream of unlabelled lines, the `count` most worth labelling next, in memory
/// bounded by `count` whatever the stream's length (`fewshot suggest`, and the simulated
/// sessions of `fewshot eval --active`).
///
/// - `margin`: the lines whose two most probable labels are closest (the classifier hesitates
///   most), smallest margin first.
/// - `diverse` (the default): among the `poolFactor × count` smallest margins, the most
///   uncertain line of each guessed label in turn, so that one confusing pair of labels does not
///   fill the whole batch. (Chosen on validation topics, `fewshot eval --active`: it gained more
///   over random picks than greedy farthest-first on the embeddings, with or without the labelled
///   lines counted as picked; models/README.md has the figures.)
/// - `random`: a uniform sample (reservoir sampling), the baseline any strategy must beat.
///
/// Ties go to the earlier line; `random` draws from its own seeded stream: the same stream and
/// seed pick the same lines.
public struct LabelSuggester: Sendable {
    public enum Strategy: String, CaseIterable, Sendable {
        case diverse, margin, random
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
    }

    public let strategy: Strategy
    public let count: Int
    /// How many uncertain lines `diverse` chooses among, per line it picks.
    public static let poolFactor = 8
    private var kept: [Candidate] = []
    private var offered = 0
    private var random: SeededRandom

    public init(strategy: Strategy, count: Int, seed: UInt64) {
        precondition(count > 0)
        self.strategy = strategy
        self.count = count
        random = SeededRandom(seed: seed, stream: 0x5547)
    }

    /// How many candidates the strategy keeps at most.
    var capacity: Int { strategy == .diverse ? count * Self.poolFactor : count }

    /// The margin of a prediction: top probability minus the runner-up's.
    public static func margin(_ prediction: FewShotClassifier.Prediction) -> Float {
        guard let best = prediction.ranked.first else { return 1 }
        return best.probability - (prediction.ranked.count > 1 ? prediction.ranked[1].probability : 0)
    }

    /// Offers one line: its id, margin, text (for the caller) and the classifier's guess (what
    /// `diverse` spreads over). A line whose (non-empty) text is already kept is not kept twice
    /// by `margin` and `diverse`.
    public mutating func offer(id: Int, margin: Float, text: [UInt8] = [], guess: (label: Int, probability: Float)) {
        offered += 1
        switch strategy {
        case .random:
            // Reservoir sampling: every line offered so far is kept with the same probability.
            let candidate = Candidate(id: id, margin: margin, text: text, guess: guess)
            if kept.count < count {
                kept.append(candidate)
            } else {
                let slot = random.below(offered)
                if slot < count { kept[slot] = candidate }
            }
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
