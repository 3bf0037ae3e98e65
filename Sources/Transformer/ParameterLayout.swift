/// Where each tensor lives in the one flat parameter buffer, under BERT's tensor names. The
/// same layout indexes gradients and optimizer moments.
public struct ParameterLayout: Sendable {
    public struct Tensor: Sendable, Equatable {
        public let name: String
        /// Row-major shape; weights are [out, in] as in BERT (y = x·Wᵀ + b).
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    /// Offsets of one transformer layer's tensors.
    public struct Layer: Sendable {
        public let query, queryBias, key, keyBias, value, valueBias: Int
        public let attentionOutput, attentionOutputBias, attentionNormWeight, attentionNormBias: Int
        public let intermediate, intermediateBias, output, outputBias, outputNormWeight, outputNormBias: Int
    }

    public let tensors: [Tensor]
    public let count: Int
    public let wordEmbeddings, positionEmbeddings, typeEmbeddings, embeddingNormWeight, embeddingNormBias: Int
    public let layers: [Layer]

    public init(config: EncoderConfig) {
        var tensors: [Tensor] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            tensors.append(Tensor(name: name, shape: shape, offset: offset))
            defer { offset += shape.reduce(1, *) }
            return offset
        }
        let c = config.hidden
        let f = config.intermediate
        wordEmbeddings = add("embeddings.word_embeddings.weight", [config.vocabularySize, c])
        positionEmbeddings = add("embeddings.position_embeddings.weight", [config.maxPositions, c])
        typeEmbeddings = add("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, c])
        embeddingNormWeight = add("embeddings.LayerNorm.weight", [c])
        embeddingNormBias = add("embeddings.LayerNorm.bias", [c])
        var layers: [Layer] = []
        for index in 0..<config.layers {
            let p = "encoder.layer.\(index)."
            layers.append(
                Layer(
                    query: add(p + "attention.self.query.weight", [c, c]), queryBias: add(p + "attention.self.query.bias", [c]),
                    key: add(p + "attention.self.key.weight", [c, c]), keyBias: add(p + "attention.self.key.bias", [c]),
                    value: add(p + "attention.self.value.weight", [c, c]), valueBias: add(p + "attention.self.value.bias", [c]),
                    attentionOutput: add(p + "attention.output.dense.weight", [c, c]),
                    attentionOutputBias: add(p + "attention.output.dense.bias", [c]),
                    attentionNormWeight: add(p + "attention.output.LayerNorm.weight", [c]),
                    attentionNormBias: add(p + "attention.output.LayerNorm.bias", [c]),
                    intermediate: add(p + "intermediate.dense.weight", [f, c]), intermediateBias: add(p + "intermediate.dense.bias", [f]),
                    output: add(p + "output.dense.weight", [c, f]), outputBias: add(p + "output.dense.bias", [c]),
                    outputNormWeight: add(p + "output.LayerNorm.weight", [c]), outputNormBias: add(p + "output.LayerNorm.bias", [c])))
        }
        self.layers = layers
        self.tensors = tensors
        self.count = offset
    }

    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }
}
