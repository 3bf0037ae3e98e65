/// How the encoder is adapted to one task's examples (`EncoderAdaptation`): what `train
/// --finetune-*` and `eval --finetune-*` set.
public struct AdaptationSettings: Sendable, Equatable {
    /// The encoder's learning rate `--finetune-lr` defaults to.
    public static let defaultLearningRate: Float = 3e-4
    /// The `head` objective's head learns this many times faster than the encoder: it starts as
    /// the prototypes and must move in a few steps, while the encoder must stay close to its
    /// meta-trained weights.
    public static let headLearningRateFactor: Float = 20

    /// Full-batch steps (0: no adaptation).
    public var steps: Int
    public var learningRate: Float
    public var objective: AdaptationObjective
    /// L2-SP strength: anchor · (θ − θ₀) is added to each step's gradient (0: no pull back).
    public var anchor: Float

    public init(steps: Int, learningRate: Float = defaultLearningRate, objective: AdaptationObjective = .head, anchor: Float = 0) {
        (self.steps, self.learningRate, self.objective, self.anchor) = (steps, learningRate, objective, anchor)
    }

    /// "20 steps of the head loss at learning rate 0.0003" (and the anchor when there is one).
    public var summary: String {
        "\(steps) steps of the \(objective.rawValue) loss at learning rate \(learningRate)" + (anchor > 0 ? ", anchored at \(anchor)" : "")
    }
}
