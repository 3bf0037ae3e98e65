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
    /// How many of the encoder's top layers adapt (nil, or as many as it has: every layer and the
    /// embeddings' LayerNorm). The layers below are run once, not at every step, and their
    /// weights stay as they are.
    public var layers: Int?

    public init(
        steps: Int, learningRate: Float = defaultLearningRate, objective: AdaptationObjective = .head, anchor: Float = 0,
        layers: Int? = nil
    ) {
        precondition(layers.map { $0 >= 1 } ?? true, "at least one layer adapts")
        (self.steps, self.learningRate, self.objective, self.anchor, self.layers) = (steps, learningRate, objective, anchor, layers)
    }

    /// "20 steps of the head loss at learning rate 0.0003" (and the layers and anchor when set).
    public var summary: String {
        "\(steps) \(steps == 1 ? "step" : "steps") of the \(objective.rawValue) loss at learning rate \(learningRate)"
            + (layers.map { ", top \($0) layer\($0 == 1 ? "" : "s")" } ?? "") + (anchor > 0 ? ", anchored at \(anchor)" : "")
    }
}
