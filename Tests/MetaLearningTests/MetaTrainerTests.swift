import Corpus
import Embedding
import Foundation
import TestSupport
import Testing
import Tokenization
import Transformer

@testable import MetaLearning

@Suite struct MetaTrainerTests {
    static let words = [
        "apple pear fruit", "river lake water", "music song melody", "stone rock hard", "cloud rain sky", "tiger lion cat",
        "paper book page", "glass cup drink",
    ]

    /// 8 labels x 12 examples: 6 train, 2 val; texts share a label's words plus noise.
    static let index: CorpusIndex = try! toyIndex()

    /// Six train and some val labels of 12 examples each; `suffix` ends every text.
    static func toyIndex(suffix: String = "") throws -> CorpusIndex {
        let directory = try TestFiles.directory()
        var tsv = ""
        var split = ""
        for (label, words) in words.enumerated() {
            split += "label\(label)\t\(label < 6 ? "train" : "val")\n"
            for example in 0..<12 { tsv += "label\(label)\t\(words) number \(example) the \(example % 3)\(suffix)\n" }
        }
        try TestFiles.write(tsv, to: directory.appendingPathComponent("toy.tsv"))
        try TestFiles.write(split, to: directory.appendingPathComponent("toy.split"))
        let output = directory.appendingPathComponent("toy.fsi").path
        _ = try CorpusIndexBuilder(tokenizer: TestFiles.tokenizer, maxLength: 16).build(
            [directory.appendingPathComponent("toy.tsv").path], to: output)
        return try CorpusIndex(path: output)
    }

    static func model() throws -> SentenceEncoder {
        let config = EncoderConfig(
            layers: 1, hidden: 16, heads: 2, intermediate: 24, maxPositions: 16, vocabularySize: TestFiles.tokenizer.vocabulary.count)
        return try SentenceEncoder(
            tokenizer: TestFiles.tokenizer, encoder: try BertEncoder<Float>(config: config), maxLength: 16, path: "test")
    }

    static func options(_ method: MetaTrainingOptions.Method, steps: Int) -> MetaTrainingOptions {
        var options = MetaTrainingOptions()
        options.method = method
        options.ways = 4
        options.shots = 2
        options.queries = 2
        options.batchSize = 16
        options.steps = steps
        options.learningRate = 3e-3
        options.warmup = 2
        options.validateEvery = 0
        options.checkpointEvery = 4
        options.seed = 3
        return options
    }

    static func output() throws -> String { try TestFiles.directory().appendingPathComponent("model.safetensors").path }

    @Test(arguments: [MetaTrainingOptions.Method.protonet, .protomaml, .pretrain, .distill])
    func lossFalls(method: MetaTrainingOptions.Method) throws {
        var teacher: [Int: [Float]] = [:]
        for example in 0..<Self.index.exampleCount {
            let label = Self.index.label(of: example)
            teacher[example] = (0..<8).map { $0 == label ? 1 : 0 }
        }
        let trainer = try MetaTrainer(
            options: Self.options(method, steps: 40), index: Self.index, model: try Self.model(), output: try Self.output(),
            teacher: TeacherEmbeddings.Table(embeddings: teacher, dimension: 8))
        var losses: [Double] = []
        try trainer.run(report: { losses.append($0.loss) })
        #expect(losses.count == 40)
        let first = losses.prefix(8).reduce(0, +) / 8
        let last = losses.suffix(8).reduce(0, +) / 8
        #expect(last < first * 0.8, "\(method): loss \(first) -> \(last)")
        #expect(FileManager.default.fileExists(atPath: trainer.output))
        #expect(FileManager.default.fileExists(atPath: trainer.output + ".state"))
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let options = Self.options(.protonet, steps: 12)
        let straight = try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: try Self.output())
        try straight.run(report: { _ in })

        let path = try Self.output()
        let interrupted = try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: path)
        try interrupted.run(report: { _ in }, shouldStop: { interrupted.step == 5 })
        #expect(interrupted.step == 5)
        let resumed = try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: path)
        try resumed.resume()
        #expect(resumed.step == 5)
        try resumed.run(report: { _ in })
        #expect(resumed.step == 12)
        #expect(resumed.model.encoder.parameters.array == straight.model.encoder.parameters.array)

        // With an anchor toward the starting weights too (the anchor is part of the state).
        var anchored = options
        anchored.anchorWeight = 0.5
        let anchoredStraight = try MetaTrainer(options: anchored, index: Self.index, model: try Self.model(), output: try Self.output())
        try anchoredStraight.run(report: { _ in })
        let anchoredPath = try Self.output()
        let anchoredStop = try MetaTrainer(options: anchored, index: Self.index, model: try Self.model(), output: anchoredPath)
        try anchoredStop.run(report: { _ in }, shouldStop: { anchoredStop.step == 7 })
        let anchoredResumed = try MetaTrainer(options: anchored, index: Self.index, model: try Self.model(), output: anchoredPath)
        try anchoredResumed.resume()
        try anchoredResumed.run(report: { _ in })
        #expect(anchoredResumed.model.encoder.parameters.array == anchoredStraight.model.encoder.parameters.array)
        #expect(anchoredStraight.model.encoder.parameters.array != straight.model.encoder.parameters.array)

        // Another option, or another index of the same labels with other texts: refused, saying which.
        var changed = options
        changed.learningRate = 1e-2
        let mismatched = try MetaTrainer(options: changed, index: Self.index, model: try Self.model(), output: path)
        #expect(throws: TrainingError.optionsDiffer(path: path + ".state", differences: ["option learningRate"])) {
            try mismatched.resume()
        }
        let other = try Self.toyIndex(suffix: " extra")
        #expect(other.labels.map(\.name) == Self.index.labels.map(\.name))
        let otherIndex = try MetaTrainer(options: options, index: other, model: try Self.model(), output: path)
        #expect(throws: TrainingError.optionsDiffer(path: path + ".state", differences: ["index (its corpora changed)"])) {
            try otherIndex.resume()
        }
    }

    @Test(arguments: [MetaTrainingOptions.Method.protonet, .protomaml])
    func episodicMethodsLearnFromEpisodesOfAFamilySmallerThanItsWays(method: MetaTrainingOptions.Method) throws {
        // Six train labels, 8-way episodes: only small families make episodes (all six labels each).
        var options = Self.options(method, steps: 30)
        options.ways = 8
        options.smallFamilies = true
        let trainer = try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: try Self.output())
        var losses: [Double] = []
        try trainer.run(report: { losses.append($0.loss) })
        #expect(losses.count == 30 && losses.allSatisfy(\.isFinite))
        let first: Double = losses.prefix(6).reduce(0, +)
        let last: Double = losses.suffix(6).reduce(0, +)
        #expect(last < first * 0.8, "\(losses)")
        options.smallFamilies = nil
        #expect(throws: CorpusError.self) {
            try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: try Self.output())
        }
    }

    /// The output file holds the weights of the step whose validation was best, not the last
    /// step's: snapshots taken at each new best are compared with the file after the run.
    @Test func validationKeepsTheBestModel() throws {
        var options = Self.options(.protonet, steps: 12)
        options.learningRate = 3e-2
        options.validateEvery = 1
        options.validationEpisodes = 20
        options.validationWays = 2
        options.validationShots = 2
        options.validationQueries = 4
        options.validationFamily = nil
        let trainer = try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: try Self.output())
        var bestWeights: [Float] = []
        var validations: [Double] = []
        try trainer.run(report: { report in
            guard let validation = report.validation else { return }
            // Only a strictly better validation replaces the output.
            if validation > (validations.max() ?? -1) { bestWeights = trainer.model.encoder.parameters.array }
            validations.append(validation)
        })
        #expect(validations.count == 12)
        #expect(trainer.bestValidation == validations.max())
        let saved = try SentenceEncoder.load(trainer.output)
        #expect(saved.encoder.parameters.array == bestWeights)
        // The run must have moved on from its best step, or this test could not tell the two apart.
        #expect(trainer.model.encoder.parameters.array != bestWeights)
    }

    @Test func validationWithTooFewLabelsForItsEpisodesIsAClearError() throws {
        var options = Self.options(.protonet, steps: 6)
        options.validateEvery = 3
        options.validationEpisodes = 20
        options.validationFamily = nil
        let trainer = try MetaTrainer(options: options, index: Self.index, model: try Self.model(), output: try Self.output())
        // 2 val labels cannot make 5-way episodes: validation must say so.
        #expect(throws: CorpusError.self) { try trainer.run(report: { _ in }) }
    }

    @Test func distillationWithoutATeacherIsRefused() throws {
        #expect(throws: TrainingError.missingTeacher) {
            _ = try MetaTrainer(
                options: Self.options(.distill, steps: 2), index: Self.index, model: try Self.model(), output: try Self.output())
        }
    }
}

/// The training log's lines and the teacher cache's key.
@Suite struct TrainingRecordTests {
    /// protomaml's loss and accuracy before the update are logged when a step reports them.
    @Test func aLogLineHoldsTheLossBeforeTheUpdateOnlyWhenReported() throws {
        var report = MetaTrainer.Report(
            step: 3, loss: 0.5, accuracy: 0.75, validation: nil, learningRate: 1e-4, gradientNorm: 2, examplesPerSecond: 10)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonLine.utf8)) as? [String: Any])
        #expect(object["plain_loss"] == nil && object["plain_train_accuracy"] == nil)
        (report.plainLoss, report.plainAccuracy) = (1.25, 0.5)
        object = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonLine.utf8)) as? [String: Any])
        #expect((object["plain_loss"] as? NSNumber)?.doubleValue == 1.25)
        #expect((object["plain_train_accuracy"] as? NSNumber)?.doubleValue == 0.5)
    }

    @Test func aLogLineWithANonFiniteLossIsValidJSONWithNull() throws {
        let report = MetaTrainer.Report(
            step: 7, loss: .nan, accuracy: .infinity, validation: 0.5, learningRate: 1e-4, gradientNorm: 2, examplesPerSecond: 10)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonLine.utf8)) as? [String: Any])
        #expect(object["loss"] is NSNull)
        #expect(object["train_accuracy"] is NSNull)
        #expect((object["step"] as? NSNumber)?.intValue == 7)
        #expect((object["val_accuracy"] as? NSNumber)?.doubleValue == 0.5)
    }

    /// Two corpora of the same size (labels, examples, lengths) but other words: the second run
    /// must embed its own texts, not reuse the first one's cached embeddings; the same corpus and
    /// teacher again reuse them; another teacher at the same path does not.
    @Test func theTeacherCacheIsKeyedByContentNotBySize() throws {
        let directory = try TestFiles.directory()
        func index(_ name: String, words: String) throws -> CorpusIndex {
            var tsv = ""
            for label in 0..<3 { for example in 0..<4 { tsv += "label\(label)\t\(words) \(label) \(example)\n" } }
            let path = directory.appendingPathComponent("\(name).tsv").path
            try TestFiles.write(tsv, to: URL(fileURLWithPath: path))
            let output = directory.appendingPathComponent("\(name).fsi").path
            _ = try CorpusIndexBuilder(tokenizer: TestFiles.tokenizer, maxLength: 16).build([path], to: output)
            return try CorpusIndex(path: output)
        }
        let first = try index("first", words: "apple pear fruit")
        let second = try index("second", words: "river lake water")
        #expect(first.exampleCount == second.exampleCount)
        let cache = directory.appendingPathComponent("teacher.cache").path
        let teacher = try MetaTrainerTests.model()
        let examples = Array(0..<first.exampleCount)
        var messages: [String] = []
        let a = try TeacherEmbeddings.load(teacher: teacher, index: first, examples: examples, cache: cache) { messages.append($0) }
        let b = try TeacherEmbeddings.load(teacher: teacher, index: second, examples: examples, cache: cache) { messages.append($0) }
        #expect(!messages.contains { $0.contains("cached") }, "\(messages)")
        #expect(a.embeddings[0] != b.embeddings[0])
        messages = []
        let again = try TeacherEmbeddings.load(teacher: teacher, index: second, examples: examples, cache: cache) { messages.append($0) }
        #expect(messages.contains { $0.contains("cached") }, "\(messages)")
        #expect(again.embeddings[0] == b.embeddings[0])
        let otherTeacher = try MetaTrainerTests.model()
        otherTeacher.encoder.parameters[0] += 1
        messages = []
        _ = try TeacherEmbeddings.load(teacher: otherTeacher, index: second, examples: examples, cache: cache) { messages.append($0) }
        #expect(!messages.contains { $0.contains("cached") }, "\(messages)")
    }
}
