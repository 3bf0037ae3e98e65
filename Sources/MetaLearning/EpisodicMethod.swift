/// What the episodic methods (ProtoNet, Proto-MAML) share: the meta-train episode sampler and no
/// head of their own (their classifier is built from each episode's support set).
class EpisodicMethod {
    let head: LinearHead
    let sampler: EpisodeSampler

    init(data: TrainingData) throws {
        sampler = try data.episodeSampler()
        head = LinearHead(outputs: 0, inputs: data.model.dimension, runSeed: data.options.seed)
    }
}
