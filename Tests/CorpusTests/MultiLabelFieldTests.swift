import Testing

@testable import Corpus

@Suite struct MultiLabelFieldTests {
    @Test func labelsAreSplitAtCommasAndTrimmed() throws {
        #expect(try MultiLabelField.labels("sport, money ,law", path: "f.tsv", line: 3) == ["sport", "money", "law"])
        #expect(try MultiLabelField.labels("sport", path: "f.tsv", line: 3) == ["sport"])
    }

    @Test func ambiguousFieldsAreRefusedWithFileAndLine() {
        for field in ["a,,b", ",a", "a,", "a, ,b", "a,b,a"] {
            #expect(throws: CorpusError.self) { try MultiLabelField.labels(field, path: "f.tsv", line: 7) }
            do {
                _ = try MultiLabelField.labels(field, path: "f.tsv", line: 7)
            } catch {
                #expect("\(error)".hasPrefix("f.tsv:7: "), "\(error)")
            }
        }
    }
}
