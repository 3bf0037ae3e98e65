/// One episode of `eval --finetune-steps --finetune-record`: what the check on its support set
/// found and what each encoder scored on its queries, so any rule for keeping the adapted encoder
/// can be judged afterwards on the same episodes (`benchmarks/adaptation_choice.py`).
public struct AdaptationRecord: Codable, Sendable, Equatable {
    public var family: String
    /// Support examples held out by the check, and how many each encoder classified correctly.
    public var checked: Int
    public var plainCorrect: Int
    public var adaptedCorrect: Int
    /// Mean over the held-out examples of (score of the true label − best other score).
    public var plainMargin: Double
    public var adaptedMargin: Double
    /// Whether the episode's scores came from the adapted encoder (`--finetune-choice`).
    public var kept: Bool
    /// Query accuracy of each encoder on the episode.
    public var plainAccuracy: Double
    public var adaptedAccuracy: Double
}
