import Transformer

/// Picks, from a stream of unlabelled lines, the `count` most worth labelling next, in memory
/// bounded by `count` whatever the stream's length (`fewshot suggest`, and the simulated
/// sessions of `fewshot eval --active`).
///
/// - `margin`: the lines whose two most probable labels are closest (the classifier hesitates
///   most), smallest margin first.
/// - `diverse` (the default): among the `poolFactor × count` smallest margins, greedy
///   farthest-first on the embeddings: the most uncertain line, then each time the uncertain line
///   least similar to every line already picked, so that one confusing region does not fill the
///   whole batch.
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
        /// The line's unit-length embedding (kept by `diverse` only).
        public let embedding: [Float]
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

    /// Offers one line; `embedding` is read only by `diverse`. A line whose (non-empty) text is
    /// already kept is not kept twice by `margin` and `diverse`.
    public mutating func offer(
        id: Int, margin: Float, embedding: ArraySlice<Float>, text: [UInt8] = [], guess: (label: Int, probability: Float) = (-1, 0)
    ) {
        offered += 1
        switch strategy {
        case .random:
            // Reservoir sampling: every line offered so far is kept with the same probability.
            let candidate = Candidate(id: id, margin: margin, embedding: [], text: text, guess: guess)
            if kept.count < count {
                kept.append(candidate)
            } else {
                let slot = random.below(offered)
                if slot < count { kept[slot] = candidate }
            }
        case .margin, .diverse:
            kept.append(
                Candidate(id: id, margin: margin, embedding: strategy == .diverse ? Array(embedding) : [], text: text, guess: guess))
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
            return Self.farthestFirst(kept, count: count)
        }
    }

    /// Greedy farthest-first: the first candidate (the most uncertain), then each time the one
    /// whose highest cosine to the picked ones is lowest (ties to the more uncertain).
    static func farthestFirst(_ candidates: [Candidate], count: Int) -> [Candidate] {
        guard !candidates.isEmpty else { return [] }
        var chosen = [0]
        var nearest = [Float](repeating: -.infinity, count: candidates.count)
        nearest[0] = .infinity
        while chosen.count < min(count, candidates.count) {
            let last = candidates[chosen.last!].embedding
            var best = -1
            for index in candidates.indices where nearest[index] != .infinity {
                var dot: Float = 0
                let other = candidates[index].embedding
                for j in 0..<min(last.count, other.count) { dot += last[j] * other[j] }
                nearest[index] = max(nearest[index], dot)
                if best < 0 || nearest[index] < nearest[best] { best = index }
            }
            chosen.append(best)
            nearest[best] = .infinity
        }
        return chosen.map { candidates[$0] }
    }
}
