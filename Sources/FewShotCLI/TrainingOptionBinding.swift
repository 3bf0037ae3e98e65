import MetaLearning

/// One `meta-train` option declared once: its flag, help and default (the library's, read from
/// `MetaTrainingOptions()`), and how its value lands in the options, checked against its range.
struct TrainingOptionBinding: Sendable {
    let option: Option
    let apply: @Sendable (inout MetaTrainingOptions, ParsedArguments) throws -> Void

    static let defaults = MetaTrainingOptions()

    static func int(
        _ name: String, _ valueName: String, _ key: WritableKeyPath<MetaTrainingOptions, Int> & Sendable, in range: ClosedRange<Int>,
        _ help: String
    ) -> TrainingOptionBinding {
        TrainingOptionBinding(option: .value(name, valueName, help, default: "\(defaults[keyPath: key])")) {
            $0[keyPath: key] = try $1.int(name, in: range)
        }
    }

    static func seed(_ name: String, _ key: WritableKeyPath<MetaTrainingOptions, UInt64> & Sendable, _ help: String)
        -> TrainingOptionBinding
    {
        TrainingOptionBinding(option: .value(name, "N", help, default: "\(defaults[keyPath: key])")) {
            $0[keyPath: key] = UInt64(try $1.int(name, in: 0...Int.max))
        }
    }

    static func number(_ name: String, _ valueName: String, _ key: WritableKeyPath<MetaTrainingOptions, Float> & Sendable, _ help: String)
        -> TrainingOptionBinding
    {
        TrainingOptionBinding(option: .value(name, valueName, help, default: "\(defaults[keyPath: key])")) {
            $0[keyPath: key] = Float(try $1.double(name))
        }
    }
}
