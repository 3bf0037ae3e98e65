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

    /// Mixed into the run's seed for the head's weights, so that they do not repeat the random
    /// stream the encoder's initialisation draws from the same seed.
    static let seedSalt: UInt64 = 0xABCD

    /// Weights uniform in ±1/√inputs, drawn from the run's seed mixed with `seedSalt`; biases 0.
    init(outputs: Int, inputs: Int, runSeed: UInt64) {
        let seed = runSeed ^ Self.seedSalt
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
