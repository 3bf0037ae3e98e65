/// A parsed JSON value, as `JSONReader` gives it: what a file header needs to be checked field by
/// field, with integers kept exact (byte offsets) apart from other numbers.
public enum JSONValue: Equatable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number written without a fraction or exponent that fits in an Int.
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null

    public var object: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// An array whose every element is an integer, as Ints (nil for anything else).
    public var integers: [Int]? {
        guard let elements = array else { return nil }
        let values = elements.compactMap(\.integer)
        return values.count == elements.count ? values : nil
    }

    /// An object whose every member is a string, as a map of strings (nil for anything else).
    public var strings: [String: String]? {
        guard let members = object else { return nil }
        let values = members.compactMapValues(\.string)
        return values.count == members.count ? values : nil
    }

    /// Parses a whole document: one value, surrounded by nothing but white space.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONReader.Failure) {
        var reader = JSONReader(bytes)
        self = try reader.document()
    }
}
