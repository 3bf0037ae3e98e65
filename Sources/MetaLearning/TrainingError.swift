public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case notFinite(step: Int, lastCheckpoint: String?)
    case optionsDiffer(path: String)

    public var description: String {
        switch self {
        case .notFinite(let step, let checkpoint):
            return "the gradient became NaN or infinite at step \(step); "
                + (checkpoint.map { "the last good checkpoint is \($0)" } ?? "no checkpoint was saved yet")
                + " (try a lower --lr)"
        case .optionsDiffer(let path):
            return
                "'\(path)' was made with different training options or model; resume with the same options, or start afresh without --resume"
        }
    }
}
