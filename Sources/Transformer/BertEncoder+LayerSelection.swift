extension BertEncoder {
    /// A shallower copy of this encoder: the embeddings and the layers at `layers` (in that
    /// order), with at most `maxPositions` learned positions. A student started this way keeps
    /// the teacher's full-width token embeddings and some of its layers (as DistilBERT starts
    /// from every other layer of BERT), instead of relearning them from a projection.
    ///
    /// The result computes exactly what the original computes when `layers` is every layer in
    /// order and the inputs fit in `maxPositions` (a test checks this).
    public func selectingLayers(_ layers: [Int], maxPositions: Int? = nil) throws -> BertEncoder<S> {
        guard !layers.isEmpty || config.isStatic else { throw EncoderError.invalidConfig("keep at least one layer") }
        for layer in layers where !(0..<config.layers).contains(layer) {
            throw EncoderError.invalidConfig(
                config.layers == 0
                    ? "layer \(layer) does not exist: the encoder has no layers"
                    : "layer \(layer) does not exist: the encoder has layers 0 to \(config.layers - 1)")
        }
        var shape = config
        shape.layers = layers.count
        if let maxPositions {
            guard maxPositions >= 2 else { throw EncoderError.invalidConfig("at least 2 positions are needed, got \(maxPositions)") }
            shape.maxPositions = min(maxPositions, config.maxPositions)
        }
        let result = try BertEncoder<S>(config: shape, parameters: Buffer<S>(count: ParameterLayout(config: shape).count))
        let source = parameters.pointer, target = result.parameters.pointer
        func copy(_ name: String, as newName: String, rows: Int? = nil) {
            let from = layout.tensor(named: name)!, to = result.layout.tensor(named: newName)!
            let count = rows.map { $0 * from.shape.dropFirst().reduce(1, *) } ?? from.count
            precondition(count == to.count, "tensor \(name) does not fit \(newName)")
            (target + to.offset).update(from: source + from.offset, count: count)
        }
        for tensor in result.layout.tensors where !tensor.name.hasPrefix("encoder.layer.") {
            copy(tensor.name, as: tensor.name, rows: tensor.name == "embeddings.position_embeddings.weight" ? shape.maxPositions : nil)
        }
        for (position, layer) in layers.enumerated() {
            for tensor in result.layout.tensors where tensor.name.hasPrefix("encoder.layer.\(position).") {
                let suffix = tensor.name.dropFirst("encoder.layer.\(position).".count)
                copy("encoder.layer.\(layer)." + suffix, as: tensor.name)
            }
        }
        result.parameters.markWritten()
        return result
    }
}
