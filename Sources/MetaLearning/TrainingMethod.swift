/// One way of meta-training an encoder (ProtoNet, Proto-MAML, pretraining, distillation). The
/// trainer owns everything the methods share — schedule, clipping, AdamW, validation,
/// checkpoints — and asks the method for one step's gradients.
protocol TrainingMethod: AnyObject {
    /// The head trained beside the encoder (empty for the episodic methods); the trainer clips,
    /// updates and checkpoints it with the encoder.
    var head: LinearHead { get }

    /// Step `number`'s loss, training accuracy (when the method has one) and examples used.
    /// The trainer zeroes all gradients before; the method leaves this step's gradients summed
    /// in the encoder and head, and the encoder's weights as they were.
    func step(_ number: Int, data: TrainingData) throws -> StepResult
}
