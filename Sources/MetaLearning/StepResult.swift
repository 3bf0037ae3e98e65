/// What a training step reports back to the trainer.
struct StepResult {
    let loss: Double
    let accuracy: Double?
    let examples: Int
}
