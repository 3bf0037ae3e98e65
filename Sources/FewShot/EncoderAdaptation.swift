import Foundation
import Transformer

/// The per-task update of an encoder to a handful of labelled sequences, shared by `train
/// --finetune-steps` (which keeps the result) and `eval --finetune-steps` (which measures it
/// per episode and puts the weights back).
///
/// A cosine classifier whose weights start as the unit prototypes (so step 0 is exactly the
/// prototype classifier) is trained jointly with the encoder, full batch, with AdamW; the
/// embedding tables stay frozen so words the examples do not contain keep their meaning.
/// Deterministic: no sampling, the same sequences give the same weights.
public enum EncoderAdaptation {
    /// Adapts `encoder` in place on `tokens` (one class position in 0..<classes per sequence),
    /// the head starting at `prototypes` (classes × hidden, unit rows). `progress` hears the
    /// number of steps done after each step.
    public static func adapt(
        _ encoder: BertEncoder<Float>, tokens: [[Int32]], targets: [Int], classes: Int, prototypes: [Float], steps: Int,
        learningRate: Float, headLearningRateFactor: Float, scale: Float = 10, progress: (Int) -> Void = { _ in }
    ) throws {
        let d = encoder.config.hidden
        precondition(tokens.count == targets.count && prototypes.count == classes * d)
        let head = Buffer<Float>(count: classes * d)
        for index in prototypes.indices { head[index] = prototypes[index] }
        let headGradients = Buffer<Float>(count: head.count)
        let encoderOptimizer = AdamW(count: encoder.layout.count)
        let headOptimizer = AdamW(count: head.count)
        let frozen = [encoder.layout.wordEmbeddings..<encoder.layout.embeddingNormWeight]
        let batch = TokenBatch(sequences: tokens)
        for step in 0..<steps {
            encoder.zeroGradients()
            headGradients.zero()
            let output = try encoder.forward(batch, normalize: true, keepActivations: true)
            var gradient = [Float](repeating: 0, count: tokens.count * d)
            _ = CosineClassifierLoss.evaluate(
                UnsafePointer(output.baseAddress!), rows: tokens.count, dimension: d, labels: targets, classes: classes, scale: scale,
                weight: UnsafePointer(head.pointer), dWeight: headGradients.pointer, gradient: &gradient)
            try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
            for range in frozen { (encoder.gradients.pointer + range.lowerBound).update(repeating: 0, count: range.count) }
            encoderOptimizer.update(
                parameters: encoder.parameters, gradients: encoder.gradients, learningRate: learningRate, weightDecay: 0, decayed: [])
            headOptimizer.update(
                parameters: head, gradients: headGradients, learningRate: learningRate * headLearningRateFactor, weightDecay: 0,
                decayed: [])
            progress(step + 1)
        }
    }
}
