import Corpus
import Embedding
import Tokenization
import Transformer

/// Token ids of index examples for a given model: the index's own ids when the model uses the
/// index's vocabulary, else the stored text re-tokenized with the model's tokenizer (so frozen
/// all-MiniLM-L6-v2 can be evaluated on an index made with our vocabulary).
public enum ExampleTokens {
    public static func ids(of examples: [Int], in index: CorpusIndex, for model: SentenceEncoder) -> [[Int32]] {
        let sameVocabulary = model.tokenizer.vocabulary.fingerprint == index.vocabularyFingerprint
        var scratch = Tokenizer.Scratch()
        var ids: [Int32] = []
        return examples.map { example in
            if sameVocabulary {
                var tokens = index.tokens(of: example).map { Int32(bitPattern: $0) }
                Tokenizer.truncate(&tokens, toLength: model.maxLength)
                return tokens
            }
            model.tokenizer.encode(index.text(of: example), maxLength: model.maxLength, into: &ids, scratch: &scratch)
            return ids
        }
    }
}
