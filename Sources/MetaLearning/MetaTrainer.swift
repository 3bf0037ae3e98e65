import Corpus
import Embedding
import Foundation
import Storage
import Tokenization
import Transformer

/// Trains an encoder on many small tasks from an index: AdamW with warm-up and cosine decay,
/// gradient clipping, validation with the best model kept, resumable checkpoints, and a stop on
/// NaN/Inf. Every random draw depends only on the seed and the step number, so a run resumed
/// from a checkpoint takes exactly the steps an uninterrupted run would.
public final class MetaTrainer {
    public let options: MetaTrainingOptions
    public let index: CorpusIndex
    public let model: SentenceEncoder
    /// Where the best model goes; the resumable state goes to `output + ".state"`.
    public let output: String
    var encoder: BertEncoder<Float> { model.encoder }

    /// Meta-train examples (label ids in the train split) and their token ids for this model.
    let trainLabels: [Int]
    /// Position of each train label among `trainLabels` (the pretrain head's classes).
    let trainLabelPosition: [Int: Int]
    /// The meta-train episode sampler (protonet, protomaml), built on first use.
    var trainSampler: EpisodeSampler?
    let trainExamples: [Int]
    let tokens: [Int: [Int32]]
    /// Teacher embeddings by example (distill), normalized, `teacherDimension` each.
    let teacher: [Int: [Float]]
    let teacherDimension: Int

    let optimizer: AdamW
    /// The starting weights, for `anchorWeight` (kept in the state file so resuming keeps them).
    let anchor: Buffer<Float>
    let head: Buffer<Float>
    let headGradients: Buffer<Float>
    let headOptimizer: AdamW
    let decayMask: [Bool]
    public private(set) var step = 0
    public private(set) var bestValidation = -1.0
    var validationsSinceBest = 0

    public struct Report: Sendable {
        public let step: Int
        public let loss: Double
        public let accuracy: Double?
        public let validation: Double?
        public let learningRate: Float
        public let gradientNorm: Float
        public let examplesPerSecond: Double
    }

    public init(
        options: MetaTrainingOptions, index: CorpusIndex, model: SentenceEncoder, output: String,
        teacher: (embeddings: [Int: [Float]], dimension: Int)? = nil
    ) throws {
        self.options = options
        self.index = index
        self.model = model
        self.output = output
        trainLabels = index.labelIDs(split: .train)
        trainLabelPosition = Dictionary(uniqueKeysWithValues: trainLabels.enumerated().map { ($1, $0) })
        trainExamples = trainLabels.flatMap { index.examplesByLabel[$0] }
        guard !trainExamples.isEmpty else { throw CorpusError.noExamples("\(index.path) has no train examples to meta-train on") }
        let ids = ExampleTokens.ids(of: trainExamples, in: index, for: model)
        tokens = Dictionary(uniqueKeysWithValues: zip(trainExamples, ids))
        if options.method == .distill {
            guard let teacher else { throw CorpusError.noExamples("distillation needs teacher embeddings (--teacher)") }
            self.teacher = teacher.embeddings
            teacherDimension = teacher.dimension
        } else {
            self.teacher = [:]
            teacherDimension = 0
        }
        let layout = model.encoder.layout
        var mask = [Bool](repeating: true, count: layout.count)
        for tensor in layout.tensors where tensor.name.hasSuffix(".bias") || tensor.name.contains("LayerNorm") {
            for index in tensor.offset..<tensor.offset + tensor.count { mask[index] = false }
        }
        decayMask = mask
        optimizer = AdamW(count: layout.count)
        anchor = Buffer<Float>(count: options.anchorWeight > 0 ? layout.count : 0)
        if options.anchorWeight > 0 { anchor.pointer.update(from: model.encoder.parameters.pointer, count: layout.count) }
        let d = model.dimension
        let headRows = options.method == .distill ? teacherDimension : (options.method == .pretrain ? trainLabels.count : 0)
        head = Buffer<Float>(count: headRows * (d + 1))
        headGradients = Buffer<Float>(count: head.count)
        headOptimizer = AdamW(count: head.count)
        var random = SeededRandom(seed: options.seed ^ 0xABCD)
        let bound = 1 / Float(d).squareRoot()
        for index in 0..<headRows * d { head[index] = (random.unitFloat() * 2 - 1) * bound }
    }

    /// Where the resumable state goes (a second stage of a two-stage schedule uses its own).
    public var stateSuffix = ".state"
    var statePath: String { output + stateSuffix }

    /// Only a validation better than `value` replaces the output (a second stage must beat the first).
    public func keepBestAbove(_ value: Double) { bestValidation = value }
    var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: options.learningRate, warmupSteps: options.warmup, totalSteps: options.steps)
    }

    /// Runs until `options.steps`, early stopping, or `shouldStop()` (checked between steps;
    /// Ctrl-C): then saves a resumable checkpoint and returns.
    public func run(report: (Report) -> Void, shouldStop: () -> Bool = { false }) throws {
        let start = Date()
        var examplesSeen = 0
        while step < options.steps {
            if shouldStop() {
                try saveState()
                return
            }
            let (loss, accuracy, examples) = try trainingStep()
            examplesSeen += examples
            let norm = try clipAndUpdate()
            step += 1
            var validation: Double?
            if options.validateEvery > 0 && (step % options.validateEvery == 0 || step == options.steps) {
                let value = try validate()
                validation = value
                if value > bestValidation {
                    bestValidation = value
                    validationsSinceBest = 0
                    try saveModel(to: output)
                } else {
                    validationsSinceBest += 1
                }
            }
            if step % options.checkpointEvery == 0 || step == options.steps { try saveState() }
            let elapsed = Date().timeIntervalSince(start)
            report(
                Report(
                    step: step, loss: loss, accuracy: accuracy, validation: validation, learningRate: schedule.rate(at: step - 1),
                    gradientNorm: norm, examplesPerSecond: Double(examplesSeen) / max(elapsed, 1e-9)))
            if options.patience > 0 && validationsSinceBest >= options.patience { break }
        }
        if options.validateEvery == 0 { try saveModel(to: output) }
        try saveState()
    }

    /// One step's loss, training accuracy (when the method has one) and examples used; leaves the
    /// summed gradients in the encoder and head.
    func trainingStep() throws -> (Double, Double?, Int) {
        encoder.zeroGradients()
        headGradients.zero()
        let d = model.dimension
        switch options.method {
        case .protonet:
            let sampler = try episodeSampler()
            var loss = 0.0
            var accuracy = 0.0
            var examples = 0
            for part in 0..<options.episodesPerStep {
                let episode = sampler.episode(step * options.episodesPerStep + part)
                let rows = episode.support.flatMap { $0 } + episode.query.flatMap { $0 }
                let output = try encoder.forward(TokenBatch(sequences: rows.map { tokens[$0]! }), normalize: true, keepActivations: true)
                var gradient = [Float](repeating: 0, count: rows.count * d)
                let result = Losses.prototypical(
                    UnsafePointer(output.baseAddress!), dimension: d, ways: options.ways, shots: options.shots, queries: options.queries,
                    scale: options.scale, gradient: &gradient)
                try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
                loss += result.loss / Double(options.episodesPerStep)
                accuracy += result.accuracy / Double(options.episodesPerStep)
                examples += rows.count
            }
            return (loss, accuracy, examples)
        case .protomaml:
            return try protoMAMLStep()
        case .pretrain, .distill:
            var random = SeededRandom(seed: options.seed, stream: UInt64(step))
            let batch = (0..<options.batchSize).map { _ in trainExamples[random.below(trainExamples.count)] }
            let output = try encoder.forward(TokenBatch(sequences: batch.map { tokens[$0]! }), normalize: false, keepActivations: true)
            var gradient = [Float](repeating: 0, count: batch.count * d)
            let rows = head.count / (d + 1)
            let weight = UnsafePointer(head.pointer), bias = UnsafePointer(head.pointer + rows * d)
            let dWeight = headGradients.pointer, dBias = headGradients.pointer + rows * d
            var loss: Double
            var accuracy: Double?
            if options.method == .pretrain {
                let result = Losses.softmaxClassifier(
                    UnsafePointer(output.baseAddress!), rows: batch.count, dimension: d,
                    labels: batch.map { trainLabelPosition[index.label(of: $0)]! },
                    classes: rows, weight: weight, bias: bias, dWeight: dWeight, dBias: dBias, gradient: &gradient)
                loss = result.loss
                accuracy = result.accuracy
            } else {
                let targets = batch.flatMap { teacher[$0]! }
                loss = Losses.cosineDistillation(
                    UnsafePointer(output.baseAddress!), rows: batch.count, dimension: d, teacher: targets,
                    teacherDimension: teacherDimension,
                    weight: weight, bias: bias, dWeight: dWeight, dBias: dBias, gradient: &gradient)
            }
            try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
            return (loss, accuracy, batch.count)
        }
    }

    func episodeSampler() throws -> EpisodeSampler {
        if let trainSampler { return trainSampler }
        let sampler = try EpisodeSampler(
            index: index, split: .train, ways: options.ways, shots: options.shots, queries: options.queries, seed: options.seed)
        trainSampler = sampler
        return sampler
    }

    /// First-order Proto-MAML over `episodesPerStep` episodes; leaves the meta-gradient in the
    /// encoder's gradients and the original weights in place.
    func protoMAMLStep() throws -> (Double, Double?, Int) {
        let d = model.dimension
        let ways = options.ways
        let sampler = try episodeSampler()
        let original = Array(encoder.parameters.buffer)
        var metaGradient = [Float](repeating: 0, count: original.count)
        var loss = 0.0
        var accuracy = 0.0
        var examples = 0
        for part in 0..<options.episodesPerStep {
            let episode = sampler.episode(step * options.episodesPerStep + part)
            let support = TokenBatch(sequences: episode.support.flatMap { $0 }.map { tokens[$0]! })
            let supportLabels = (0..<ways).flatMap { [Int](repeating: $0, count: options.shots) }
            let queries = TokenBatch(sequences: episode.query.flatMap { $0 }.map { tokens[$0]! })
            let queryLabels = (0..<ways).flatMap { [Int](repeating: $0, count: options.queries) }
            // Head from the prototypes of the normalized support embeddings.
            let supportEmbeddings = Array(try encoder.forward(support, normalize: true))
            var weight = [Float](repeating: 0, count: ways * d)
            var bias = [Float](repeating: 0, count: ways)
            for k in 0..<ways {
                var prototype = [Float](repeating: 0, count: d)
                for s in 0..<options.shots {
                    for j in 0..<d { prototype[j] += supportEmbeddings[(k * options.shots + s) * d + j] / Float(options.shots) }
                }
                for j in 0..<d { weight[k * d + j] = 2 * options.scale * prototype[j] }
                bias[k] = -options.scale * prototype.reduce(0) { $0 + $1 * $1 }
            }
            // Inner loop: SGD on the support loss, encoder and head together.
            for _ in 0..<options.innerSteps {
                encoder.zeroGradients()
                let output = try encoder.forward(support, normalize: true, keepActivations: true)
                var dE = [Float](repeating: 0, count: support.sequenceCount * d)
                var dW = [Float](repeating: 0, count: weight.count)
                var dB = [Float](repeating: 0, count: bias.count)
                _ = Losses.softmaxClassifier(
                    UnsafePointer(output.baseAddress!), rows: support.sequenceCount, dimension: d, labels: supportLabels, classes: ways,
                    weight: weight, bias: bias, dWeight: &dW, dBias: &dB, gradient: &dE)
                try dE.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
                let rate = options.innerLearningRate
                for index in 0..<encoder.parameters.count { encoder.parameters[index] -= rate * encoder.gradients[index] }
                for index in weight.indices { weight[index] -= rate * dW[index] }
                for index in bias.indices { bias[index] -= rate * dB[index] }
            }
            // Outer: the query loss at the adapted weights.
            encoder.zeroGradients()
            let output = try encoder.forward(queries, normalize: true, keepActivations: true)
            var dE = [Float](repeating: 0, count: queries.sequenceCount * d)
            var dW = [Float](repeating: 0, count: weight.count)
            var dB = [Float](repeating: 0, count: bias.count)
            let result = Losses.softmaxClassifier(
                UnsafePointer(output.baseAddress!), rows: queries.sequenceCount, dimension: d, labels: queryLabels, classes: ways,
                weight: weight, bias: bias, dWeight: &dW, dBias: &dB, gradient: &dE)
            try dE.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
            for index in metaGradient.indices { metaGradient[index] += encoder.gradients[index] }
            encoder.parameters.pointer.update(from: original, count: original.count)
            loss += result.loss / Double(options.episodesPerStep)
            accuracy += result.accuracy / Double(options.episodesPerStep)
            examples += support.sequenceCount + queries.sequenceCount
        }
        encoder.gradients.pointer.update(from: metaGradient, count: metaGradient.count)
        return (loss, accuracy, examples)
    }

    /// Clips the global gradient norm, checks it is finite, and applies AdamW. Returns the norm
    /// before clipping.
    func clipAndUpdate() throws -> Float {
        if options.anchorWeight > 0 {
            let weights = encoder.parameters.pointer, gradients = encoder.gradients.pointer, start = anchor.pointer
            for index in 0..<anchor.count { gradients[index] += options.anchorWeight * (weights[index] - start[index]) }
        }
        var squares: Double = 0
        for buffer in [encoder.gradients, headGradients] {
            for index in 0..<buffer.count { squares += Double(buffer[index]) * Double(buffer[index]) }
        }
        let norm = Float(squares.squareRoot())
        guard norm.isFinite else {
            throw TrainingError.notFinite(
                step: step + 1, lastCheckpoint: FileManager.default.fileExists(atPath: statePath) ? statePath : nil)
        }
        if norm > options.clip {
            let scale = options.clip / norm
            for buffer in [encoder.gradients, headGradients] {
                for index in 0..<buffer.count { buffer[index] *= scale }
            }
        }
        let rate = schedule.rate(at: step)
        let mask = decayMask
        optimizer.update(parameters: encoder.parameters, gradients: encoder.gradients, learningRate: rate, weightDecay: options.weightDecay)
        { mask[$0] }
        if head.count > 0 {
            headOptimizer.update(parameters: head, gradients: headGradients, learningRate: rate, weightDecay: 0) { _ in false }
        }
        return norm
    }

    /// Mean 5-way 5-shot accuracy on the validation labels (fixed episodes). With several
    /// validation families (comma-separated), each gets its own episodes and the score is the
    /// mean of their accuracies, so a small genre counts as much as a large one.
    public func validate() throws -> Double {
        let families = options.validationFamily.map { $0.split(separator: ",").map { Optional(String($0)) } } ?? [nil]
        var total = 0.0
        for family in families {
            let sampler = try EpisodeSampler(index: index, split: .val, family: family, ways: 5, shots: 5, queries: 15, seed: 1234)
            let classifier = try PrototypeClassifier(model: model, index: index, labels: sampler.classesByFamily.flatMap(\.labels))
            total += Evaluation.run(classifier, sampler: sampler, episodes: options.validationEpisodes).mean
        }
        return total / Double(families.count)
    }

    func saveModel(to path: String) throws {
        try EncoderCheckpoint.save(encoder, metadata: .init(vocabulary: model.tokenizer.vocabulary), to: path)
    }

    /// The resumable state: parameters, optimizer moments, head, counters and options.
    public func saveState() throws {
        let extra: [String: String] = [
            "step": String(step), "adamStep": String(optimizer.step), "headAdamStep": String(headOptimizer.step),
            "best": String(bestValidation), "sinceBest": String(validationsSinceBest),
            "options": String(decoding: try JSONEncoder().encode(options), as: UTF8.self),
        ]
        try EncoderCheckpoint.save(
            encoder, metadata: .init(vocabulary: model.tokenizer.vocabulary, extra: extra),
            to: statePath,
            extraTensors: [
                ("adam.m", optimizer.first), ("adam.v", optimizer.second), ("head", head), ("head.adam.m", headOptimizer.first),
                ("head.adam.v", headOptimizer.second),
            ]
                + (anchor.count > 0 ? [("anchor", anchor)] : []))
    }

    /// Continues from `output + ".state"`, which must have been made with the same options.
    public func resume() throws {
        let (saved, metadata, file) = try EncoderCheckpoint.load(statePath)
        guard let optionsText = metadata.extra["options"],
            let savedOptions = try? JSONDecoder().decode(MetaTrainingOptions.self, from: Data(optionsText.utf8)),
            savedOptions == options
        else { throw TrainingError.optionsDiffer(path: statePath) }
        guard saved.config == encoder.config, saved.parameters.count == encoder.parameters.count else {
            throw TrainingError.optionsDiffer(path: statePath)
        }
        encoder.parameters.pointer.update(from: saved.parameters.pointer, count: saved.parameters.count)
        let tensors =
            [
                ("adam.m", optimizer.first), ("adam.v", optimizer.second), ("head", head), ("head.adam.m", headOptimizer.first),
                ("head.adam.v", headOptimizer.second),
            ]
            + (anchor.count > 0 ? [("anchor", anchor)] : [])
        for (name, buffer) in tensors {
            guard file.tensors[name]?.count == buffer.count else {
                throw StorageError.corrupted(path: statePath, detail: "tensor \(name) missing or misshapen")
            }
            try file.read(name, into: buffer.pointer)
        }
        step = Int(metadata.extra["step"] ?? "") ?? 0
        optimizer.step = Int(metadata.extra["adamStep"] ?? "") ?? 0
        headOptimizer.step = Int(metadata.extra["headAdamStep"] ?? "") ?? 0
        bestValidation = Double(metadata.extra["best"] ?? "") ?? -1
        validationsSinceBest = Int(metadata.extra["sinceBest"] ?? "") ?? 0
    }
}
