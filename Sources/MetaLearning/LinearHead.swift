import Transformer

/// A linear layer trained beside the encoder and dropped afterwards: pretraining's classifier
/// over the meta-train labels, distillation's projection to the teacher's width.
///
/// Layout of `parameters` (and of `gradients` and the optimizer's moments): the weight,
/// outputs × inputs row-major, then the bias, outputs values. A head of 0 outputs is empty.
public final class LinearHead {
    public let outputs: Int
    public let inputs: Int
    public let parameters: Buffer<Float>
    public let gradients: Buffer<Float>
    public let optimizer: AdamW

    /// Weights uniform in ±1/√inputs (a seed of its own), biases 0.
    init(outputs: Int, inputs: Int, seed: UInt64) {
        self.outputs = outputs
        self.inputs = inputs
        parameters = Buffer<Float>(count: outputs * (inputs + 1))
        gradients = Buffer<Float>(count: parameters.count)
        optimizer = AdamW(count: parameters.count)
        var random = SeededRandom(seed: seed)
        let bound = 1 / Float(inputs).squareRoot()
        for index in 0..<outputs * inputs { parameters[index] = (random.unitFloat() * 2 - 1) * bound }
    }

    var weight: UnsafePointer<Float> { UnsafePointer(parameters.pointer) }
    var bias: UnsafePointer<Float> { UnsafePointer(parameters.pointer + outputs * inputs) }
    var weightGradient: UnsafeMutablePointer<Float> { gradients.pointer }
    var biasGradient: UnsafeMutablePointer<Float> { gradients.pointer + outputs * inputs }
}
