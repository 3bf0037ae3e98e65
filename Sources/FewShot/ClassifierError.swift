public enum ClassifierError: Error, CustomStringConvertible, Equatable {
    case differentEncoders(String, String)

    public var description: String {
        switch self {
        case .differentEncoders(let a, let b):
            return
                "'\(a)' and '\(b)' embed text with different encoders (weights, vocabulary or input length "
                + "differ), so their prototypes cannot be added; "
                + "train both with the same --model and without --finetune-steps"
        }
    }
}
