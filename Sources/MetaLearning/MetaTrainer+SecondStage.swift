import Embedding

extension MetaTrainer {
    /// The second stage of a two-stage schedule (pretrain or distill, then ProtoNet): `steps`
    /// ProtoNet steps from this run's best model, with the same episode and validation options.
    /// Its state goes to `output.stage2.state`, and its model replaces the output only when its
    /// validation beats this run's best.
    public func protoNetStage(steps: Int) throws -> MetaTrainer {
        var stage = options
        stage.method = .protonet
        stage.steps = steps
        let trainer = try MetaTrainer(options: stage, index: index, model: try SentenceEncoder.load(output), output: output)
        trainer.stateSuffix = ".stage2.state"
        trainer.keepBestAbove(bestValidation)
        return trainer
    }
}
