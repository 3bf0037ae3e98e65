extension Tokenizer {
    /// Shortens an encoded sequence (`[CLS] … [SEP]`) to `maxLength` ids by dropping body tokens
    /// from its end, so the final `[SEP]` stays: what BERT's truncation does, for ids that were
    /// encoded with a longer limit (an index re-read for a model with fewer positions).
    public static func truncate<ID>(_ ids: inout [ID], toLength maxLength: Int) {
        guard ids.count > maxLength, maxLength >= 1 else { return }
        ids.removeSubrange((maxLength - 1)..<(ids.count - 1))
    }
}
