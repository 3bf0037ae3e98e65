/// The counters of a run that a checkpoint must carry besides weights and optimizer moments,
/// stored as one JSON value in the state file's metadata. Resuming requires every field: a
/// state file without them is refused rather than silently restarted from step 0.
struct TrainingState: Codable, Equatable {
    /// Updates taken.
    var step = 0
    /// AdamW's own update counts (bias correction), for the encoder and the head.
    var encoderAdamStep = 0
    var headAdamStep = 0
    /// The best validation score so far (−1 before any), and validations since it improved.
    var bestValidation = -1.0
    var validationsSinceBest = 0
    /// The options the run was started with; resuming requires the same.
    var options: MetaTrainingOptions
    /// The checksum of the index it trains on (`CorpusIndex.checksum`, hex); resuming requires
    /// the same corpora. Nil in states written before 2026-12-07, which resume unchecked.
    var index: String? = nil

    /// The metadata key the state is stored under.
    static let metadataKey = "trainingState"
}
