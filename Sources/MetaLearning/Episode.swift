/// One N-way K-shot task: `classes` are label ids; `support[c]` and `query[c]` are example ids
/// of class `c` (disjoint).
public struct Episode: Sendable, Equatable {
    public let classes: [Int]
    public let support: [[Int]]
    public let query: [[Int]]
    public var ways: Int { classes.count }
}
