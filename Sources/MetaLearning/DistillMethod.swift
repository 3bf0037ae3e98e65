import Transformer

/// Distillation: the student's pooled embedding, through a linear projection to the teacher's
/// width, regresses the teacher's normalized sentence embedding (mean 1 − cosine); the
/// projection is dropped after training.
final class DistillMethod: TrainingMethod {
    let head: LinearHead
    /// The teacher's normalized embedding of each meta-train example.
    let teacher: TeacherEmbeddings.Table

    init(data: TrainingData, teacher: TeacherEmbeddings.Table) {
        self.teacher = teacher
        head = LinearHead(outputs: teacher.dimension, inputs: data.model.dimension, runSeed: data.options.seed)
    }

    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let batch = RandomBatch.draw(number, data: data)
        let targets = batch.flatMap { teacher.embeddings[$0]! }
        let loss = try data.train(on: batch, normalize: false) { embeddings, gradient in
            Losses.cosineDistillation(
                embeddings, rows: batch.count, dimension: data.model.dimension, teacher: targets, teacherDimension: teacher.dimension,
                weight: head.weight, bias: head.bias, dWeight: head.weightGradient, dBias: head.biasGradient, gradient: gradient)
        }
        return StepResult(loss: loss, accuracy: nil, examples: batch.count)
    }
}
