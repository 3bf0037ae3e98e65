/// What a training step reports back to the trainer.
struct StepResult {
    let loss: Double
    let accuracy: Double?
    let examples: Int
    /// protomaml with a plain weight: the episodes' loss and accuracy at the weights before the
    /// update (what the plain prototypes score), beside `loss` and `accuracy` at the adapted ones.
    var plainLoss: Double? = nil
    var plainAccuracy: Double? = nil
}
