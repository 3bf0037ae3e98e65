import Corpus
import Transformer

/// Draws N-way K-shot Q-query episodes from one split of an index: each episode's classes come
/// from a single family, support and query examples are disjoint, and episode `n` of a seed is
/// the same on every run and machine (each episode has its own random stream).
public struct EpisodeSampler: Sendable {
    public let ways: Int
    /// Families with fewer eligible labels than `ways` (but two or more, besides the unknown
    /// ones) give episodes of all their labels, with as many texts as the others
    /// (`shape(labelCount:)`).
    public let smallFamilies: Bool
    /// How many times more often each family of `classesByFamily` is drawn than a family of
    /// weight 1 (every family 1 unless asked otherwise).
    public let familyWeights: [Int]
    public let unknownClasses: Int
    /// Whether a family with too few labels for `unknownClasses` more still gives episodes, with
    /// as many unknown labels as it has to spare (meta-training); false leaves it out (evaluation).
    public let unknownOptional: Bool
    /// The unknown labels a family must spare beside an episode's own: all of them, or none when
    /// they are optional.
    static func requiredUnknown(_ unknownClasses: Int, optional: Bool) -> Int { optional ? 0 : unknownClasses }
    public let shots: Int
    public let queries: Int
    public let seed: UInt64
    /// Eligible label ids per family: labels with at least `minimumExamples` examples.
    public let classesByFamily: [(family: String, labels: [Int])]
    private let examplesByLabel: [[Int]]

    /// - Parameter minimumExamples: eligibility threshold (default `shots + queries`; pass the
    ///   largest shot count + queries so that 1-shot and 5-shot runs draw from the same classes).
    /// - Parameter unknownClasses: open-set episodes: this many more labels of the family give
    ///   `queries` examples each as the episode's `unknown` queries (0: closed-set episodes, drawn
    ///   exactly as before the option existed).
    /// - Parameter unknownOptional: with `unknownClasses`, families that cannot spare that many
    ///   labels beside an episode's own give episodes with fewer unknown labels (none, for a family
    ///   of two labels) instead of none at all.
    /// - Parameter smallFamilies: a family with fewer than `ways` eligible labels (two or more)
    ///   gives episodes of all its labels, more shots and queries each so that its episodes hold
    ///   as many texts as the others (false: such families are left out).
    /// - Parameter familyWeights: a family named here is drawn this many times as often as one of
    ///   weight 1 (those not named); all weights 1 give exactly the episodes of no weights.
    public init(
        index: CorpusIndex, split: Split, family: String? = nil, ways: Int, shots: Int, queries: Int, seed: UInt64,
        minimumExamples: Int? = nil, unknownClasses: Int = 0, unknownOptional: Bool = false, smallFamilies: Bool = false,
        familyWeights: [String: Int] = [:]
    ) throws {
        precondition(familyWeights.values.allSatisfy { $0 >= 1 })
        let minimum = max(minimumExamples ?? 0, shots + queries)
        let required = Self.requiredUnknown(unknownClasses, optional: unknownOptional)
        var byFamily = Self.eligibleClasses(
            index: index, split: split, family: family, labelsNeeded: (smallFamilies ? min(ways, 2) : ways) + required,
            minimumExamples: minimum)
        if smallFamilies {
            // A small family's labels must hold its larger shots and queries; dropping one makes
            // the family smaller still and its episodes larger, so this settles in a few rounds.
            byFamily = byFamily.compactMap { entry in
                var labels = entry.labels
                while labels.count >= 2 + required {
                    let shape = Self.shape(labelCount: labels.count, ways: ways, shots: shots, queries: queries, unknownClasses: required)
                    let kept = labels.filter { index.examplesByLabel[$0].count >= shape.shots + shape.queries }
                    if kept.count == labels.count { return (entry.family, labels) }
                    labels = kept
                }
                return nil
            }
        }
        guard !byFamily.isEmpty else {
            let scope = family.map { "family '\($0)'" } ?? "any family"
            throw CorpusError.notEnoughClasses(
                "\(index.path): no \(ways + unknownClasses) labels with >= \(minimum) examples in split '\(split.rawValue)' of \(scope)")
        }
        self.ways = ways
        self.smallFamilies = smallFamilies
        self.familyWeights = byFamily.map { familyWeights[$0.family] ?? 1 }
        self.unknownClasses = unknownClasses
        self.unknownOptional = unknownOptional
        self.shots = shots
        self.queries = queries
        self.seed = seed
        self.classesByFamily = byFamily
        self.examplesByLabel = index.examplesByLabel
    }

    /// Per family (all, or only `family`), the labels of `split` with at least `minimumExamples`
    /// examples; families with fewer than `labelsNeeded` such labels are left out, since no
    /// episode can be drawn from them.
    public static func eligibleClasses(
        index: CorpusIndex, split: Split, family: String?, labelsNeeded: Int, minimumExamples: Int
    ) -> [(family: String, labels: [Int])] {
        index.families.filter { family == nil || $0 == family }.compactMap { name in
            let eligible = index.labelIDs(split: split, family: name).filter { index.examplesByLabel[$0].count >= minimumExamples }
            return eligible.count >= labelsNeeded ? (name, eligible) : nil
        }
    }

    /// The ways, shots and queries of episodes from a family of `labelCount` eligible labels:
    /// the sampler's own, or for a small family all its labels (besides the unknown ones) with
    /// the shots and queries scaled by ways / its ways, so that a 2-way episode of a 10-way 5-shot
    /// run has 25 shots per label and weighs as much in training as a topic episode.
    static func shape(labelCount: Int, ways: Int, shots: Int, queries: Int, unknownClasses: Int) -> (
        ways: Int, shots: Int, queries: Int
    ) {
        let fewer = min(ways, labelCount - unknownClasses)
        guard fewer < ways else { return (ways, shots, queries) }
        return (fewer, shots * ways / fewer, queries * ways / fewer)
    }

    /// Episode number `number` (any order, any subset: each is independent).
    public func episode(_ number: Int) -> Episode {
        var random = SeededRandom(seed: seed, stream: UInt64(number))
        // With every weight 1 this is random.below(count) itself.
        var pick = random.below(familyWeights.reduce(0, +))
        var position = 0
        while pick >= familyWeights[position] {
            pick -= familyWeights[position]
            position += 1
        }
        let family = classesByFamily[position]
        let required = Self.requiredUnknown(unknownClasses, optional: unknownOptional)
        let (ways, shots, queries) =
            smallFamilies
            ? Self.shape(
                labelCount: family.labels.count, ways: self.ways, shots: self.shots, queries: self.queries, unknownClasses: required)
            : (self.ways, self.shots, self.queries)
        let classes = random.sample(family.labels, count: ways)
        var support: [[Int]] = []
        var query: [[Int]] = []
        for label in classes {
            let picked = random.sample(examplesByLabel[label], count: shots + queries)
            support.append(Array(picked.prefix(shots)))
            query.append(Array(picked.suffix(queries)))
        }
        var episode = Episode(classes: classes, support: support, query: query)
        let spare = family.labels.count - ways
        let unknownCount = unknownOptional ? min(unknownClasses, spare) : unknownClasses
        if unknownCount > 0 {
            let others = random.sample(family.labels.filter { !classes.contains($0) }, count: unknownCount)
            episode.unknown = others.map { random.sample(examplesByLabel[$0], count: queries) }
        }
        return episode
    }
}
