import Foundation
import Testing

@testable import Storage

@Suite struct JSONReaderTests {
    func parse(_ text: String) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBytes { try JSONValue(parsing: $0) }
    }

    func failure(_ text: String) -> JSONReader.Failure? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? JSONReader.Failure
        }
    }

    /// Foundation's reading of the same text, turned into our values, as the reference.
    func reference(_ object: Any) -> JSONValue {
        switch object {
        case let map as [String: Any]: return .object(map.mapValues(reference))
        case let list as [Any]: return .array(list.map(reference))
        case let text as String: return .string(text)
        case is NSNull: return .null
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            if let exact = Int(exactly: number), !"\(number)".contains(".") { return .integer(exact) }
            return .number(number.doubleValue)
        default: return .null
        }
    }

    @Test func readsWhatFoundationReadsOnValidDocuments() throws {
        let documents = [
            #"{"a":{"dtype":"F16","shape":[2,3],"data_offsets":[0,12]},"__metadata__":{"k":"v"}}"#,
            #"  [1, -2, 0, 3.5, -0.25, 1e3, 2E-2, true, false, null, "", {}, []]  "#,
            #"{"escapes":"quote \" backslash \\ slash \/ \b\f\n\r\t end","unicode":"\u00e9\u4e2d\ud83d\ude00 é 中 😀"}"#,
            #"{"nested":[[[{"deep":[1,[2,[3]]]}]]],"big":9007199254740993,"negative":-9223372036854775808}"#,
            "{\"vocabulary\":\"\(String(repeating: "[PAD]\\n##ing\\nhello\\n", count: 2000))\"}",
        ]
        for text in documents {
            let ours = try parse(text)
            let theirs = reference(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
            #expect(ours == theirs, "\(text.prefix(60))")
        }
        #expect(try parse(#"{"n":9007199254740993}"#).object?["n"]?.integer == 9_007_199_254_740_993)
        #expect(try parse(#""\ud83d\ude00""#).string == "😀")
    }

    @Test func refusesWhatTheStandardRefusesWithWhereItStopped() {
        let cases: [(String, String)] = [
            ("", "unexpected end"), ("{", "unexpected end"), (#"{"a":1"#, "unexpected end"), (#"{"a" 1}"#, "expected ':'"),
            (#"{"a":1,}"#, "expected a key"), ("[1,]", "unexpected character"), ("[1 2]", "expected ',' or ']'"),
            ("{} {}", "text after"), ("01", "leading zero"), ("1.", "fraction needs digits"), ("1e", "exponent needs digits"),
            ("-", "needs digits"), ("tru", "unexpected character"), ("nul", "unexpected character"),
            ("\"a\u{01}b\"", "control character"), (#""\x""#, "unknown escape"), (#""\u12xy""#, "four hex digits"),
            (#""\u12"#, "unexpected end"),
            (#""\ud83d""#, "high surrogate"), (#""\ud83d\u0041""#, "high surrogate"), (#""\ude00""#, "low surrogate"),
            (#""abc"#, "inside a string"), ("1e999", "out of range"), (#"{"a":1,"a":2}"#, "appears twice"),
        ]
        for (text, message) in cases {
            let failure = failure(text)
            #expect(failure?.message.contains(message) == true, "\(text): \(String(describing: failure))")
            #expect((failure?.offset ?? -1) <= text.utf8.count, "\(text)")
        }
        #expect(failure(#"[1, x]"#)?.offset == 4)
    }

    @Test func refusesInvalidUTF8InsideStrings() {
        let bytes: [UInt8] = Array("\"ab".utf8) + [0xC3, 0x28] + Array("\"".utf8)
        let failure = bytes.withUnsafeBytes { buffer -> JSONReader.Failure? in
            do {
                _ = try JSONValue(parsing: buffer)
                return nil
            } catch {
                return error as? JSONReader.Failure
            }
        }
        #expect(failure?.message.contains("UTF-8") == true)
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
        let limit = JSONReader.maximumDepth
        #expect(failure(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) == nil)
        let deep = failure(String(repeating: "[", count: 100_000))
        #expect(deep?.message.contains("nesting deeper than \(limit)") == true)
        #expect(failure(String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)) != nil)
    }
}
