import Corpus
import Transformer

/// Draws N-way K-shot Q-query episodes from one split of an index: each episode's classes come
/// from a single family, support and query examples are disjoint, and episode `n` of a seed is
/// the same on every run and machine (each episode has its own random stream).
public struct EpisodeSampler: Sendable {
    public let ways: Int
    /// Families with fewer eligible labels than `ways` (but two or more, besides the unknown
    /// ones) give episodes of all their labels.
    public let smallFamilies: Bool
    public let unknownClasses: Int
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
    /// - Parameter smallFamilies: a family with fewer than `ways` eligible labels (two or more)
    ///   gives episodes of all its labels (false: such families are left out).
    public init(
        index: CorpusIndex, split: Split, family: String? = nil, ways: Int, shots: Int, queries: Int, seed: UInt64,
        minimumExamples: Int? = nil, unknownClasses: Int = 0, smallFamilies: Bool = false
    ) throws {
        let minimum = max(minimumExamples ?? 0, shots + queries)
        let byFamily = Self.eligibleClasses(
            index: index, split: split, family: family, labelsNeeded: (smallFamilies ? min(ways, 2) : ways) + unknownClasses,
            minimumExamples: minimum)
        guard !byFamily.isEmpty else {
            let scope = family.map { "family '\($0)'" } ?? "any family"
            throw CorpusError.notEnoughClasses(
                "\(index.path): no \(ways + unknownClasses) labels with >= \(minimum) examples in split '\(split.rawValue)' of \(scope)")
        }
        self.ways = ways
        self.smallFamilies = smallFamilies
        self.unknownClasses = unknownClasses
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

    /// Episode number `number` (any order, any subset: each is independent).
    public func episode(_ number: Int) -> Episode {
        var random = SeededRandom(seed: seed, stream: UInt64(number))
        let family = classesByFamily[random.below(classesByFamily.count)]
        let classes = random.sample(family.labels, count: min(ways, family.labels.count - unknownClasses))
        var support: [[Int]] = []
        var query: [[Int]] = []
        for label in classes {
            let picked = random.sample(examplesByLabel[label], count: shots + queries)
            support.append(Array(picked.prefix(shots)))
            query.append(Array(picked.suffix(queries)))
        }
        var episode = Episode(classes: classes, support: support, query: query)
        if unknownClasses > 0 {
            let others = random.sample(family.labels.filter { !classes.contains($0) }, count: unknownClasses)
            episode.unknown = others.map { random.sample(examplesByLabel[$0], count: queries) }
        }
        return episode
    }
}
