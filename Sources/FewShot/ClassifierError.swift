/// Why two classifiers, or a classifier and examples, cannot be combined.
public enum ClassifierError: Error, CustomStringConvertible, Equatable {
    case differentEncoders(String, String)
    /// Single-label and multi-label mixed: `detail` says which is which.
    case mixedLabelModes(String)

    public var description: String {
        switch self {
        case .differentEncoders(let a, let b):
            return
                "'\(a)' and '\(b)' embed text with different encoders (weights, vocabulary or input length "
                + "differ), so their prototypes cannot be added; "
                + "train both with the same --model and without --finetune-steps"
        case .mixedLabelModes(let detail):
            return "single-label and multi-label cannot be mixed: \(detail)"
        }
    }
}
