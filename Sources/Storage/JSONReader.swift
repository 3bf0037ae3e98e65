/// A strict JSON reader (RFC 8259) over bytes in memory. Every model and classifier header goes
/// through it on every start, and a vocabulary of 230 kB sits in one of its strings: Foundation's
/// `JSONSerialization` took 5.5 ms for that header, a third of a static model's start-up, where
/// copying runs of plain bytes between escapes takes a fraction of a millisecond.
///
/// Rejects what the standard rejects (control characters in strings, lone surrogates, invalid
/// UTF-8, leading zeros, trailing text) and, beyond it, repeated keys in an object and nesting
/// deeper than `maximumDepth`, so a hostile file cannot exhaust the stack.
public struct JSONReader {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let message: String
        /// Byte offset in the document where reading stopped.
        public let offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    public static let maximumDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func document() throws(Failure) -> JSONValue {
        let value = try self.value()
        skipWhiteSpace()
        guard index == bytes.count else { throw failure("text after the JSON value") }
        return value
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: message, offset: index)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhiteSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhiteSpace()
        guard current == byte else { throw failure(current == nil ? "unexpected end, expected \(what)" : "expected \(what)") }
        index += 1
    }

    private mutating func value() throws(Failure) -> JSONValue {
        skipWhiteSpace()
        guard let byte = current else { throw failure("unexpected end, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try nested { (reader: inout JSONReader) throws(Failure) in try reader.object() }
        case UInt8(ascii: "["): return try nested { (reader: inout JSONReader) throws(Failure) in try reader.array() }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character")
        }
    }

    private mutating func nested(_ read: (inout JSONReader) throws(Failure) -> JSONValue) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        depth += 1
        defer { depth -= 1 }
        return try read(&self)
    }

    private mutating func object() throws(Failure) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        if closes(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhiteSpace()
            guard current == UInt8(ascii: "\"") else {
                throw failure(current == nil ? "unexpected end, expected a key" : "expected a key in quotes")
            }
            let keyOffset = index
            let key = try string()
            try expect(UInt8(ascii: ":"), "':'")
            let member = try value()
            guard members.updateValue(member, forKey: key) == nil else {
                throw Failure(message: "key '\(key)' appears twice", offset: keyOffset)
            }
            if try separates(closing: UInt8(ascii: "}")) { return .object(members) }
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        if closes(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try value())
            if try separates(closing: UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// Whether an object or array closes right after its opening (it is empty); consumes the closer.
    private mutating func closes(_ closer: UInt8) -> Bool {
        skipWhiteSpace()
        guard current == closer else { return false }
        index += 1
        return true
    }

    /// After a member or element: true at the closer, false at a comma (both consumed).
    private mutating func separates(closing closer: UInt8) throws(Failure) -> Bool {
        skipWhiteSpace()
        let expected = "',' or '\(Character(Unicode.Scalar(closer)))'"
        guard let byte = current else { throw failure("unexpected end, expected \(expected)") }
        guard byte == closer || byte == UInt8(ascii: ",") else { throw failure("expected \(expected)") }
        index += 1
        return byte == closer
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        for expected in word.utf8 {
            guard current == expected else { throw failure("unexpected character") }
            index += 1
        }
        return value
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            let first = reader.index
            while let byte = reader.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { reader.index += 1 }
            return reader.index - first
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw failure("a number needs digits") }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw failure("a number has a leading zero") }
        var integral = true
        if current == UInt8(ascii: ".") {
            index += 1
            integral = false
            guard digits(&self) > 0 else { throw failure("a fraction needs digits") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            integral = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw failure("an exponent needs digits") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let value = Int(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { throw Failure(message: "number out of range", offset: start) }
        return .number(value)
    }

    /// A string: runs of plain bytes are copied whole, escapes decoded one by one.
    private mutating func string() throws(Failure) -> String {
        index += 1
        var utf8: [UInt8] = []
        var runStart = index
        while true {
            guard let byte = current else { throw failure("unexpected end inside a string") }
            if byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte >= 0x20 {
                index += 1
                continue
            }
            utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            guard byte == UInt8(ascii: "\\") else { throw failure("a control character inside a string") }
            try escape(into: &utf8)
            runStart = index
        }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw failure("a string that is not valid UTF-8")
        }
        return text
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(Failure) {
        index += 1
        guard let byte = current else { throw failure("unexpected end inside an escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800...0xDBFF).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a high surrogate without its low half")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate without its low half") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("a low surrogate alone")
            }
            guard let decoded = Unicode.Scalar(scalar), let encoded = Unicode.UTF8.encode(decoded) else {
                throw failure("an escape that is not a Unicode scalar")
            }
            utf8.append(contentsOf: encoded)
        default:
            index -= 1
            throw failure("an unknown escape")
        }
    }

    private mutating func hexQuad() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("unexpected end inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
