import Embedding
import FewShot

/// Everything that defines a meta-training run. Stored in checkpoints: resuming requires the
/// same options, which is what makes a resumed run equal an uninterrupted one.
public struct MetaTrainingOptions: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// Prototypical Networks on N-way K-shot episodes of the meta-train split.
        case protonet
        /// Non-episodic: a softmax classifier over all meta-train labels (head dropped after).
        case pretrain
        /// Regress a teacher's normalized sentence embeddings (cosine loss) through a linear
        /// projection head; the head is dropped after.
        case distill
        /// First-order Proto-MAML: the encoder adapted on each episode's support set by the update
        /// `train --finetune-steps` makes (a cosine head from the prototypes, AdamW), then the
        /// prototypical loss at the adapted weights updates the original ones (first-order: the
        /// adaptation's own derivatives are dropped).
        case protomaml
    }

    public var method: Method = .protonet
    /// Episode shape for protonet (training way may exceed test way).
    public var ways = 20
    public var shots = 5
    public var queries = 5
    /// Episodes whose gradients are summed into one update.
    public var episodesPerStep = 1
    /// protomaml: the adaptation steps on the support set and their learning rate, by default
    /// those of `train --finetune-steps 20`.
    public var innerSteps = 20
    public var innerLearningRate: Float = AdaptationSettings.defaultLearningRate
    /// protomaml's per-episode update, as its steps and its validation make it.
    public var innerAdaptation: AdaptationSettings { AdaptationSettings(steps: innerSteps, learningRate: innerLearningRate) }
    /// The same, as the model file records it.
    var trainedUpdate: TrainedUpdate { TrainedUpdate(steps: innerSteps, learningRate: innerLearningRate) }
    /// protomaml: the weight of ProtoNet's loss at the weights before the update, added to the
    /// loss at the adapted weights, so that the plain prototypes (what a classifier uses when
    /// its check keeps the encoder as it is) stay good while the update learns to pay. Optional
    /// so that the state of a run from before the option resumes (nil or 0: the adapted loss
    /// alone).
    public var plainWeight: Float?
    /// Examples per update for pretrain and distill.
    public var batchSize = 128
    public var steps = 1000
    /// Peak AdamW learning rate, reached after `warmup` steps, then cosine decay to 10%.
    public var learningRate: Float = 1e-3
    public var warmup = 50
    /// Decoupled weight decay (not applied to biases and LayerNorm).
    public var weightDecay: Float = 0.01
    /// L2-SP: a pull of this strength toward the starting weights (λ/2·‖θ − θ₀‖²), so
    /// fine-tuning a pretrained encoder stays close to what generalised; 0 disables it.
    public var anchorWeight: Float = 0
    /// Global gradient-norm clip.
    public var clip: Float = 1.0
    public var seed: UInt64 = 0
    /// protonet: logits are −scale·‖q − c‖² on L2-normalized embeddings (a cosine temperature).
    public var scale: Float = 10
    /// Validation every this many steps; 0 disables it.
    public var validateEvery = 100
    public var validationEpisodes = 300
    /// The validation episodes' shape and seed (fixed, so every validation of a run, and of runs
    /// being compared, scores the same episodes).
    public var validationWays = 5
    public var validationShots = 5
    public var validationQueries = 15
    public var validationSeed: UInt64 = 1234
    /// Validate on these families' val labels only (comma-separated; the score is the mean over
    /// families, each with its own episodes). The domains' topics are as far from meta-train as
    /// the test topics; the categories family's val labels mostly measure lexical similarity.
    public var validationFamily: String? = "domains"
    /// protonet: families with fewer train (and val) labels than the episodes' ways, but two or
    /// more, give episodes of all their labels with as many texts as the others, so a task of two
    /// labels (the sentiment family's positive and negative) is meta-trained and validated beside
    /// the topics. Optional so that
    /// the state of a run from before the option resumes (nil: off).
    public var smallFamilies: Bool?
    /// protonet: families named here are drawn this many times as often as the others (weight
    /// 1), e.g. to give the two-label sentiment family a larger share of episodes. Optional so
    /// that the state of a run from before the option resumes (nil: every family weighs 1).
    public var familyWeights: [String: Int]?
    /// protonet: open-set episodes, as `eval --open-set` draws them: this many more labels of the
    /// episode's family give `queries` unknown queries each (fewer where the family cannot spare
    /// them), and `Losses.openSetRanking` at `openSetWeight` joins the prototypical loss, so that
    /// a known line scores its prototype higher than a line of no label scores any. Optional so
    /// that the state of a run from before the option resumes (nil or 0: closed episodes).
    public var openSetWays: Int?
    public var openSetWeight: Float?
    /// Stop after this many validations without improvement; 0 never stops early.
    public var patience = 0
    /// Save a resumable checkpoint every this many steps.
    public var checkpointEvery = 100

    public init() {}
}
