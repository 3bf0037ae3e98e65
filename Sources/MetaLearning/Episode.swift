/// One N-way K-shot task: `classes` are label ids; `support[c]` and `query[c]` are example ids
/// of class `c` (disjoint). An open-set episode also has `unknown` queries: examples of labels
/// outside the episode's classes (same family and split), one list per such label.
public struct Episode: Sendable, Equatable {
    public let classes: [Int]
    public let support: [[Int]]
    public let query: [[Int]]
    public var unknown: [[Int]] = []
    public var ways: Int { classes.count }
}
