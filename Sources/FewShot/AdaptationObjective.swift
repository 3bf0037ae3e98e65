/// What the per-task update of the encoder (`EncoderAdaptation`) minimises on the support set.
public enum AdaptationObjective: String, CaseIterable, Sendable {
    /// A cosine classifier whose weights start as the prototypes, trained with the encoder
    /// (cross-entropy over the labels).
    case head
    /// SetFit's objective: the cosine of every pair of examples pulled to 1 when they share a
    /// label and to 0 when they do not (`CosinePairLoss`), with no head; the prototypes of the
    /// adapted embeddings then classify.
    case pairs
}
