/// Why a benchmark could not run, in words for the user.
public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String
    public let hint: String?

    public init(_ description: String, hint: String? = nil) {
        self.description = description
        self.hint = hint
    }
}
