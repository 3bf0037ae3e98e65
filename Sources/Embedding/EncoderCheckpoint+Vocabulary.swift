import Storage
import Tokenization
import Transformer

/// Encoder files carry their vocabulary (the Transformer module never sees text, so the
/// translation between a `Vocabulary` and the checkpoint's metadata lives here).
extension EncoderCheckpoint.Metadata {
    public init(vocabulary: Vocabulary, extra: [String: String] = [:]) {
        self.init(vocabularyFingerprint: vocabulary.fingerprint, vocabularyText: vocabulary.fileText, extra: extra)
    }

    /// The stored vocabulary, checked against its stored fingerprint.
    public func vocabulary(path: String) throws -> Vocabulary {
        let vocabulary = Vocabulary(fileText: vocabularyText)
        guard vocabulary.fingerprint == vocabularyFingerprint else {
            throw StorageError.corrupted(path: path, detail: "the stored vocabulary does not match its fingerprint")
        }
        return vocabulary
    }
}
