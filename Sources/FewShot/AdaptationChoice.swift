/// Whether a classifier keeps its adapted encoder (`train --finetune-choice`).
public enum AdaptationChoice: String, CaseIterable, Sendable {
    /// Only when `AdaptationCheck` finds that it classifies `AdaptationCheck.requiredGain` more
    /// held-out examples correctly.
    case auto
    /// Always (the check still runs: the probabilities are fitted on its held-out scores).
    case always
}
