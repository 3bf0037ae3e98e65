import Corpus
import Embedding
import Tokenization
import Transformer

extension SentenceEncoder {
    /// A new encoder to meta-train on `index`: BERT's initialization from `seed`, the index's
    /// vocabulary (its stored token ids are used as they are, so another one is refused), inputs
    /// as long as the index's or the encoder's positions allow.
    public static func fresh(config: EncoderConfig, tokenizer: Tokenizer, index: CorpusIndex, seed: UInt64, path: String) throws
        -> SentenceEncoder
    {
        try index.requireVocabulary(tokenizer.vocabulary)
        let encoder = try BertEncoder<Float>(config: config)
        encoder.initializeLikeBERT(seed: seed)
        return try SentenceEncoder(tokenizer: tokenizer, encoder: encoder, maxLength: min(config.maxPositions, index.maxLength), path: path)
    }
}
