import Corpus
import Foundation
import Storage
import TestSupport
import Testing
import Transformer

@testable import MetaLearning

@Suite struct EpisodeTests {
    static let labelWords = ["apple", "river", "music", "stone", "cloud", "tiger", "paper", "glass"]
    /// Words every label uses in two slots, so a label's examples are four different texts.
    static let fillerWords = ["north", "south"]

    /// An index of 2 families x 8 labels x 30 examples: one word unique to each label, then two
    /// filler words that every label shares.
    static let index: CorpusIndex = {
        let directory = try! TestFiles.directory()
        var paths: [String] = []
        for family in ["alpha", "beta"] {
            var tsv = ""
            var split = ""
            for label in 0..<8 {
                let name = "\(family)\(label)"
                split += "\(name)\t\(label < 6 ? "test" : "train")\n"
                for example in 0..<30 {
                    let fillers = "\(fillerWords[example % 2]) \(fillerWords[example / 2 % 2])"
                    tsv += "\(name)\t\(labelWords[label]) \(fillers) \(family) item\n"
                }
            }
            let path = directory.appendingPathComponent("\(family).tsv")
            try! TestFiles.write(tsv, to: path)
            try! TestFiles.write(split, to: directory.appendingPathComponent("\(family).split"))
            paths.append(path.path)
        }
        let output = directory.appendingPathComponent("episodes.fsi").path
        _ = try! CorpusIndexBuilder(tokenizer: TestFiles.tokenizer, maxLength: 32).build(paths, to: output)
        return try! CorpusIndex(path: output)
    }()

    @Test func episodesHaveTheRequestedShapeAndProperties() throws {
        let sampler = try EpisodeSampler(index: Self.index, split: .test, ways: 5, shots: 3, queries: 4, seed: 11)
        for number in 0..<200 {
            let episode = sampler.episode(number)
            #expect(episode.ways == 5)
            #expect(Set(episode.classes).count == 5, "distinct classes")
            let families = Set(episode.classes.map { Self.index.labels[$0].family })
            #expect(families.count == 1, "one family per episode")
            #expect(episode.classes.allSatisfy { Self.index.labels[$0].split == .test })
            for (position, label) in episode.classes.enumerated() {
                #expect(episode.support[position].count == 3 && episode.query[position].count == 4)
                #expect(Set(episode.support[position]).isDisjoint(with: episode.query[position]))
                #expect(Set(episode.support[position] + episode.query[position]).count == 7)
                #expect((episode.support[position] + episode.query[position]).allSatisfy { Self.index.label(of: $0) == label })
            }
        }
    }

    @Test func sameSeedSameEpisodesInAnyOrder() throws {
        let a = try EpisodeSampler(index: Self.index, split: .test, ways: 3, shots: 1, queries: 2, seed: 5)
        let b = try EpisodeSampler(index: Self.index, split: .test, ways: 3, shots: 1, queries: 2, seed: 5)
        let c = try EpisodeSampler(index: Self.index, split: .test, ways: 3, shots: 1, queries: 2, seed: 6)
        let forward = (0..<50).map(a.episode)
        let backward = (0..<50).reversed().map(b.episode).reversed()
        #expect(forward == Array(backward))
        #expect(forward != (0..<50).map(c.episode))
        // Both families are used.
        #expect(Set(forward.map { Self.index.labels[$0.classes[0]].family }) == ["alpha", "beta"])
        // A fixed value pins the generator across machines and versions.
        var random = SeededRandom(seed: 42)
        #expect(random.next() == 0xBDD7_3226_2FEB_6E95)
    }

    @Test func familyFilterAndEligibility() throws {
        let sampler = try EpisodeSampler(index: Self.index, split: .test, family: "beta", ways: 6, shots: 5, queries: 15, seed: 0)
        #expect(sampler.classesByFamily.map(\.family) == ["beta"])
        #expect(throws: CorpusError.self) {
            try EpisodeSampler(index: Self.index, split: .test, ways: 7, shots: 1, queries: 1, seed: 0)
        }
        #expect(throws: CorpusError.self) {
            try EpisodeSampler(index: Self.index, split: .test, ways: 2, shots: 20, queries: 15, seed: 0)
        }
    }

    @Test func smallFamiliesGiveEpisodesOfAllTheirLabelsAndLeaveOthersAsTheyWere() throws {
        // Each family has two train labels: too few for 5-way episodes unless small families are asked for.
        #expect(throws: CorpusError.self) { try EpisodeSampler(index: Self.index, split: .train, ways: 5, shots: 3, queries: 4, seed: 1) }
        let small = try EpisodeSampler(index: Self.index, split: .train, ways: 5, shots: 3, queries: 4, seed: 1, smallFamilies: true)
        for number in 0..<40 {
            let episode = small.episode(number)
            #expect(episode.ways == 2 && Set(episode.classes.map { Self.index.labels[$0].family }).count == 1)
            // As many texts as a 5-way episode: 3 · 5 / 2 shots and 4 · 5 / 2 queries per label.
            #expect(episode.support.allSatisfy { $0.count == 7 } && episode.query.allSatisfy { $0.count == 10 })
        }
        // Families with enough labels give exactly the episodes they gave before.
        let plain = try EpisodeSampler(index: Self.index, split: .test, ways: 5, shots: 3, queries: 4, seed: 11)
        let same = try EpisodeSampler(index: Self.index, split: .test, ways: 5, shots: 3, queries: 4, seed: 11, smallFamilies: true)
        #expect((0..<40).allSatisfy { plain.episode($0) == same.episode($0) })
    }

    @Test func optionalUnknownLabelsAreAsManyAsAFamilyCanSpare() throws {
        // Six test labels per family: 4-way episodes can spare two unknown labels, not three.
        #expect(throws: CorpusError.self) {
            try EpisodeSampler(index: Self.index, split: .test, ways: 4, shots: 2, queries: 3, seed: 2, unknownClasses: 3)
        }
        let optional = try EpisodeSampler(
            index: Self.index, split: .test, ways: 4, shots: 2, queries: 3, seed: 2, unknownClasses: 3, unknownOptional: true)
        let closed = try EpisodeSampler(index: Self.index, split: .test, ways: 4, shots: 2, queries: 3, seed: 2)
        for number in 0..<40 {
            let episode = optional.episode(number)
            #expect(episode.unknown.count == 2 && episode.unknown.allSatisfy { $0.count == 3 })
            let unknownLabels = Set(episode.unknown.flatMap { $0 }.map { Self.index.label(of: $0) })
            #expect(unknownLabels.count == 2 && unknownLabels.isDisjoint(with: episode.classes))
            #expect(unknownLabels.allSatisfy { Self.index.labels[$0].family == Self.index.labels[episode.classes[0]].family })
            // The known part is the closed episode's.
            #expect(episode.classes == closed.episode(number).classes && episode.support == closed.episode(number).support)
        }
        // Two train labels a family: small-family episodes of both, with nothing to spare.
        let small = try EpisodeSampler(
            index: Self.index, split: .train, ways: 5, shots: 3, queries: 4, seed: 1, unknownClasses: 2, unknownOptional: true,
            smallFamilies: true)
        #expect((0..<20).allSatisfy { small.episode($0).ways == 2 && small.episode($0).unknown.isEmpty })
    }

    @Test func familyWeightsDrawAFamilyMoreOftenAndWeightsOfOneChangeNothing() throws {
        let plain = try EpisodeSampler(index: Self.index, split: .test, ways: 4, shots: 2, queries: 2, seed: 5)
        let ones = try EpisodeSampler(
            index: Self.index, split: .test, ways: 4, shots: 2, queries: 2, seed: 5, familyWeights: ["alpha": 1, "beta": 1])
        #expect((0..<100).allSatisfy { plain.episode($0) == ones.episode($0) })
        let weighted = try EpisodeSampler(
            index: Self.index, split: .test, ways: 4, shots: 2, queries: 2, seed: 5, familyWeights: ["alpha": 3])
        let alpha = (0..<400).filter { Self.index.labels[weighted.episode($0).classes[0]].family == "alpha" }.count
        // 3 of 4 expected: 300, with a standard deviation of about 9.
        #expect((255...345).contains(alpha), "\(alpha) of 400 episodes from alpha")
    }

    @Test func accuracySummaryMath() {
        let summary = AccuracySummary(accuracies: [0.5, 1.0, 0.75, 0.75])
        #expect(abs(summary.mean - 0.75) < 1e-12)
        #expect(abs(summary.standardDeviation - (0.125 / 3).squareRoot()) < 1e-12)
        #expect(abs(summary.confidence95 - 1.96 * summary.standardDeviation / 2) < 1e-12)
        // One episode: its accuracy, and no spread or interval to speak of (not a spread of 0).
        let single = AccuracySummary(accuracies: [0.4])
        #expect(single.mean == 0.4 && single.standardDeviation.isNaN && single.confidence95.isNaN)
    }

    /// Support and query texts differ in their filler words; only the label's own word
    /// separates the labels. Five shots average the fillers out of every class centroid, so
    /// what is left to match is the label's word.
    @Test func tfidfSeparatesLabelsByTheirOwnWordsAndIsDeterministic() throws {
        let classifier = try TfidfBaseline(index: Self.index, fitSplit: .test)
        let sampler = try EpisodeSampler(index: Self.index, split: .test, ways: 5, shots: 5, queries: 5, seed: 1)
        // Most queries are not a copy of their class's support text.
        let episode = sampler.episode(0)
        let copies = episode.query.indices.flatMap { c in
            episode.query[c].filter { Array(Self.index.text(of: $0)) == Array(Self.index.text(of: episode.support[c][0])) }
        }
        #expect(copies.count < episode.query.joined().count / 2)
        let summary = Evaluation.run(classifier, sampler: sampler, episodes: 50)
        #expect(summary.mean > 0.95)
        let again = Evaluation.run(classifier, sampler: sampler, episodes: 50)
        #expect(summary == again)
    }

    /// `progress` hears every count from 1 to the number of episodes once, whichever worker
    /// finished each, and listening changes nothing measured.
    @Test func progressHearsEachEpisodeDoneOnce() throws {
        let classifier = try TfidfBaseline(index: Self.index, fitSplit: .test)
        let sampler = try EpisodeSampler(index: Self.index, split: .test, ways: 5, shots: 5, queries: 5, seed: 1)
        let heard = HeardCounts()
        let summary = Evaluation.run(classifier, sampler: sampler, episodes: 23) { heard.add($0) }
        #expect(heard.sorted == Array(1...23))
        #expect(summary == Evaluation.run(classifier, sampler: sampler, episodes: 23))
    }
}

/// The counts a progress callback heard, from any thread.
private final class HeardCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int] = []

    func add(_ count: Int) {
        lock.lock()
        counts.append(count)
        lock.unlock()
    }

    var sorted: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return counts.sorted()
    }
}
