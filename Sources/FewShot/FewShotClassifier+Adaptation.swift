import Foundation
import Transformer

extension FewShotClassifier {
    /// Adapts the encoder to this task before storing prototypes: a cosine classifier whose
    /// weights start as the prototypes (so step 0 is exactly the prototype classifier) is trained
    /// jointly with the encoder on the task's own examples, full batch, with AdamW; the embedding
    /// tables stay frozen so words the examples do not contain keep their meaning. The prototype
    /// sums are then recomputed with the adapted encoder, which the classifier file stores.
    ///
    /// Deterministic: no sampling, the same examples give the same classifier.
    /// `progress` hears the number of steps done after each step.
    public func adapt(
        _ examples: [(label: String, text: [UInt8])], steps: Int, learningRate: Float = 5e-5, scale: Float = 10,
        progress: (Int) -> Void = { _ in }
    ) throws {
        guard steps > 0, labels.count >= 2 else { return }
        let d = model.dimension
        let encoder = model.encoder
        let tokens = model.tokenize(examples.map(\.text))
        let targets = examples.map { labels.firstIndex(of: $0.label)! }
        let head = Buffer<Float>(count: labels.count * d)
        let initial = prototypes()
        for index in initial.indices { head[index] = initial[index] }
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
                UnsafePointer(output.baseAddress!), rows: tokens.count, dimension: d, labels: targets, classes: labels.count, scale: scale,
                weight: UnsafePointer(head.pointer), dWeight: headGradients.pointer, gradient: &gradient)
            try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
            for range in frozen { (encoder.gradients.pointer + range.lowerBound).update(repeating: 0, count: range.count) }
            encoderOptimizer.update(
                parameters: encoder.parameters, gradients: encoder.gradients, learningRate: learningRate, weightDecay: 0, decayed: [])
            headOptimizer.update(parameters: head, gradients: headGradients, learningRate: learningRate * 20, weightDecay: 0, decayed: [])
            progress(step + 1)
        }
        try recomputePrototypes(examples)
    }
}
