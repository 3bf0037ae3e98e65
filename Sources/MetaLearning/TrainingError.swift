/// Why meta-training stopped or could not start, with what to do about it.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case notFinite(step: Int, lastCheckpoint: String?)
    /// What differs: option names, "the index", "the model".
    case optionsDiffer(path: String, differences: [String])
    /// `--method distill` without teacher embeddings.
    case missingTeacher
    /// A state file without the training counters (made by an older fewshot, or damaged).
    case noTrainingState(path: String)

    public var description: String {
        switch self {
        case .notFinite(let step, let checkpoint):
            return "the gradient became NaN or infinite at step \(step); "
                + (checkpoint.map { "the last good checkpoint is \($0)" } ?? "no checkpoint was saved yet")
                + " (try a lower --lr)"
        case .missingTeacher:
            return "distillation needs a teacher (--teacher DIR)"
        case .noTrainingState(let path):
            return "'\(path)' holds no training state (made by an older fewshot, or damaged); start afresh without --resume"
        case .optionsDiffer(let path, let differences):
            return
                "'\(path)' was made with a different \(differences.joined(separator: ", ")); resume with the same options, "
                + "index and model, or start afresh without --resume"
        }
    }
}
