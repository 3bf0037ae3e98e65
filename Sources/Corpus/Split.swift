/// Which part of meta-learning a label belongs to. Splits are by topic, never by example:
/// a label's examples all share its split.
public enum Split: String, CaseIterable, Sendable, Codable {
    case train, val, test

    var code: UInt32 {
        switch self {
        case .train: return 0
        case .val: return 1
        case .test: return 2
        }
    }

    init?(code: UInt32) {
        switch code {
        case 0: self = .train
        case 1: self = .val
        case 2: self = .test
        default: return nil
        }
    }
}
