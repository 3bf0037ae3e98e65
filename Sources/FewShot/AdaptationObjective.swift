/// What the per-task update of the encoder (`EncoderAdaptation`) minimises on the support set.
public enum AdaptationObjective: String, CaseIterable, Sendable {
    /// A cosine classifier whose weights start as the prototypes, trained with the encoder
    /// (cross-entropy over the labels).
    case head
    /// SetFit's objective: the cosine of every pair of examples pulled to 1 when they share a
    /// label and to 0 when they do not (`CosinePairLoss`), with no head; the prototypes of the
    /// adapted embeddings then classify.
    case pairs
    /// The head loss on the hybrid score: each example's words' score to every label (its own
    /// example left out of its label's words) is added to its logits, so the encoder is trained
    /// on what the words get wrong rather than on what they already get right. Without words
    /// (a lexical weight of 0) it is `head`.
    case headWords = "head-words"
}
