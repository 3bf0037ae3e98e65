import Tokenization

extension CorpusIndex {
    /// Refuses a vocabulary other than the one the index was tokenized with, for uses that read
    /// the stored token ids as they are (a new encoder, TF-IDF on label names). Encoders with
    /// their own vocabulary do not need this: `ExampleTokens` re-tokenizes the stored texts.
    public func requireVocabulary(_ vocabulary: Vocabulary) throws {
        guard vocabulary.fingerprint == vocabularyFingerprint else {
            throw CorpusError.vocabularyMismatch(path: path, index: vocabularyFingerprint, vocabulary: vocabulary.fingerprint)
        }
    }
}
