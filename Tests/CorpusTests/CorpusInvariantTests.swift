import Foundation
import TestSupport
import Testing

@testable import Corpus

/// The committed corpora keep the invariants the data pipeline relies on.
@Suite struct CorpusInvariantTests {
    static func read(_ name: String) throws -> [(label: String, text: String)] {
        let text = try String(contentsOfFile: TestFiles.path("corpora/\(name)"), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count == 2, "exactly one tab: \(line.prefix(80))")
            #expect(!fields[0].isEmpty && !(fields.last ?? "").isEmpty)
            return (String(fields[0]), String(fields.last ?? ""))
        }
    }

    static let labelledFamilies = ["domains", "categories", "bible", "fortunes", "trivia", "libreoffice", "gnome", "chitchat"]

    @Test(arguments: labelledFamilies + ["prose", "modern", "sentiment"])
    func oneTabPerLineAndSplitFileCoversEveryLabel(family: String) throws {
        let examples = try Self.read("\(family).tsv")
        #expect(examples.count > 1000)
        let splits = try SplitFile.read(TestFiles.path("corpora/\(family).split"))
        let labels = Set(examples.map(\.label))
        #expect(Set(splits.keys) == labels)
        let counts = Dictionary(grouping: examples, by: \.label).mapValues(\.count)
        #expect(counts.values.min()! >= 20, "every label keeps at least 20 examples")
        #expect(Set(examples.map(\.text)).count == examples.count, "no text twice within a family")
        // Sorted as the build scripts sort: by (label, text) in code-point order, which is UTF-8 byte order.
        let keys = examples.map { Array($0.label.utf8) + [0] + Array($0.text.utf8) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { !$1.lexicographicallyPrecedes($0) }, "sorted by label, then text")
        #expect(!labels.contains { $0.contains(" ") }, "labels never contain spaces")
        switch family {
        case "categories":
            #expect(!splits.values.contains(.test), "categories are train/val only")
        case "prose", "modern":
            #expect(Set(splits.values) == [.train], "unlabelled prose is for distillation only")
        case "sentiment":
            // Two sentiments in each split, split by review: a label is sentiment_split.
            #expect(labels == ["positive_train", "negative_train", "positive_val", "negative_val", "positive_test", "negative_test"])
            #expect(splits.allSatisfy { $0.key.hasSuffix("_" + $0.value.rawValue) })
        default:
            #expect(Set(splits.values) == [.train, .val, .test])
            // Validation is 5-way: every family with a val split has at least 5 val labels.
            #expect(splits.values.filter { $0 == .val }.count >= 5)
            #expect(splits.values.filter { $0 == .test }.count >= 5)
        }
    }

    @Test func noModernDistillationTextIsPartOfAHeldOutTopic() throws {
        var heldOut = Set<String>()
        for family in Self.labelledFamilies {
            let splits = try SplitFile.read(TestFiles.path("corpora/\(family).split"))
            heldOut.formUnion(try Self.read("\(family).tsv").filter { splits[$0.label] != .train }.map(\.text))
        }
        #expect(heldOut.count > 10000)
        let leaked = try Self.read("modern.tsv").filter { heldOut.contains($0.text) }
        #expect(leaked.isEmpty, "\(leaked.prefix(3))")
    }

    @Test func noHeldOutSentimentSentenceIsTrainOrDistillationText() throws {
        let sentiment = try Self.read("sentiment.tsv")
        let heldOut = Set(sentiment.filter { !$0.label.hasSuffix("_train") }.map(\.text))
        #expect(heldOut.count >= 4000)
        let train = Set(sentiment.filter { $0.label.hasSuffix("_train") }.map(\.text))
        #expect(heldOut.isDisjoint(with: train))
        let leaked = try Self.read("modern.tsv").filter { heldOut.contains($0.text) }
        #expect(leaked.isEmpty, "\(leaked.prefix(3))")
    }

    @Test func noNewsLikeFortuneFileIsUsed() throws {
        #expect(!Set(try Self.read("fortunes.tsv").map(\.label)).contains("news"), "news corpora are off limits (data rules)")
    }

    @Test func noHeldOutTopicLeaksIntoCategories() throws {
        let domains = try Self.read("domains.tsv")
        let splits = try SplitFile.read(TestFiles.path("corpora/domains.split"))
        let heldOut = Set(domains.filter { splits[$0.label] != .train }.map(\.text))
        #expect(heldOut.count > 1000)
        let leaked = try Self.read("categories.tsv").filter { heldOut.contains($0.text) }
        #expect(leaked.isEmpty, "\(leaked.prefix(3))")
        let testLabels = Set(splits.filter { $0.value == .test }.keys)
        for cluster in ["sport", "psychology", "music", "philosophy", "ship"] { #expect(testLabels.contains(cluster)) }
    }

    @Test func leadingDomainMarkersAreStripped() throws {
        let markers = try Self.read("domains.tsv").filter { example in
            guard let colon = example.text.range(of: ": ") else { return false }
            return example.text[colon.upperBound...].hasPrefix("(\(example.label.replacingOccurrences(of: "_", with: " ")))")
        }
        #expect(markers.isEmpty, "\(markers.prefix(3))")
    }
}
