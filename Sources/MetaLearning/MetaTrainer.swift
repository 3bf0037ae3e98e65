import Corpus
import Embedding
import FewShot
import Foundation
import Storage
import Tokenization
import Transformer

/// Trains an encoder on many small tasks from an index: AdamW with warm-up and cosine decay,
/// gradient clipping, validation with the best model kept, resumable checkpoints, and a stop on
/// NaN/Inf. What a step computes is the method's (`TrainingMethod`); everything else is here.
/// Every random draw depends only on the seed and the step number, so a run resumed from a
/// checkpoint takes exactly the steps an uninterrupted run would.
public final class MetaTrainer {
    public let options: MetaTrainingOptions
    public let index: CorpusIndex
    public let model: SentenceEncoder
    /// Where the best model goes; the resumable state goes to `output + ".state"`.
    public let output: String
    var encoder: BertEncoder<Float> { model.encoder }

    let data: TrainingData
    let method: TrainingMethod
    let optimizer: AdamW
    /// The starting weights, for `anchorWeight` (kept in the state file so resuming keeps them).
    let anchor: Buffer<Float>
    /// False for biases and LayerNorm parameters, which get no weight decay.
    /// The parameters weight decay applies to (not LayerNorm, not biases).
    let decayedRanges: [Range<Int>]
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
        /// protomaml with a plain weight: the loss and accuracy before the update (`StepResult`).
        public var plainLoss: Double? = nil
        public var plainAccuracy: Double? = nil
    }

    /// - Parameter teacher: the teacher's embeddings of the meta-train examples (distill only).
    public init(
        options: MetaTrainingOptions, index: CorpusIndex, model: SentenceEncoder, output: String,
        teacher: TeacherEmbeddings.Table? = nil
    ) throws {
        self.options = options
        self.index = index
        self.model = model
        self.output = output
        let examples = index.exampleIDs(split: .train)
        guard !examples.isEmpty else { throw CorpusError.noExamples("\(index.path) has no train examples to meta-train on") }
        let tokens = Dictionary(uniqueKeysWithValues: zip(examples, ExampleTokens.ids(of: examples, in: index, for: model)))
        data = TrainingData(index: index, model: model, options: options, examples: examples, tokens: tokens)
        method = try Self.method(options.method, data: data, teacher: teacher)
        let layout = model.encoder.layout
        var mask = [Bool](repeating: true, count: layout.count)
        for tensor in layout.tensors where tensor.name.hasSuffix(".bias") || tensor.name.contains("LayerNorm") {
            for index in tensor.offset..<tensor.offset + tensor.count { mask[index] = false }
        }
        decayedRanges = AdamW.ranges(of: mask)
        optimizer = AdamW(count: layout.count)
        anchor = Buffer<Float>(count: options.anchorWeight > 0 ? layout.count : 0)
        if options.anchorWeight > 0 { anchor.pointer.update(from: model.encoder.parameters.pointer, count: layout.count) }
    }

    /// The one place that maps a method's name to its implementation.
    static func method(_ method: MetaTrainingOptions.Method, data: TrainingData, teacher: TeacherEmbeddings.Table?) throws
        -> TrainingMethod
    {
        switch method {
        case .protonet: return try ProtoNetMethod(data: data)
        case .protomaml: return try ProtoMAMLMethod(data: data)
        case .pretrain: return PretrainMethod(data: data)
        case .distill:
            guard let teacher else { throw TrainingError.missingTeacher }
            return DistillMethod(data: data, teacher: teacher)
        }
    }

    var head: LinearHead { method.head }

    /// Where the resumable state goes.
    var statePath: String { output + ".state" }

    var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: options.learningRate, warmupSteps: options.warmup, totalSteps: options.steps)
    }

    /// Runs until `options.steps`, early stopping, or `shouldStop()` (checked between steps;
    /// Ctrl-C): then saves a resumable checkpoint and returns.
    public func run(report: (Report) throws -> Void, shouldStop: () -> Bool = { false }) throws {
        let start = Date()
        var examplesSeen = 0
        while step < options.steps {
            if shouldStop() {
                try saveState()
                return
            }
            encoder.zeroGradients()
            head.gradients.zero()
            let result = try method.step(step, data: data)
            examplesSeen += result.examples
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
            try report(
                Report(
                    step: step, loss: result.loss, accuracy: result.accuracy, validation: validation,
                    learningRate: schedule.rate(at: step - 1), gradientNorm: norm,
                    examplesPerSecond: Double(examplesSeen) / max(elapsed, 1e-9), plainLoss: result.plainLoss,
                    plainAccuracy: result.plainAccuracy
                ))
            if options.patience > 0 && validationsSinceBest >= options.patience { break }
        }
        if options.validateEvery == 0 { try saveModel(to: output) }
        try saveState()
    }

    /// Adds the L2-SP pull, clips the global gradient norm, checks it is finite, and applies
    /// AdamW to the encoder and head. Returns the norm before clipping.
    func clipAndUpdate() throws -> Float {
        if options.anchorWeight > 0 {
            let weights = encoder.parameters.pointer, gradients = encoder.gradients.pointer, start = anchor.pointer
            for index in 0..<anchor.count { gradients[index] += options.anchorWeight * (weights[index] - start[index]) }
        }
        var squares: Double = 0
        for buffer in [encoder.gradients, head.gradients] {
            for index in 0..<buffer.count { squares += Double(buffer[index]) * Double(buffer[index]) }
        }
        let norm = Float(squares.squareRoot())
        guard norm.isFinite else {
            throw TrainingError.notFinite(
                step: step + 1, lastCheckpoint: FileManager.default.fileExists(atPath: statePath) ? statePath : nil)
        }
        if norm > options.clip {
            let scale = options.clip / norm
            for buffer in [encoder.gradients, head.gradients] {
                for index in 0..<buffer.count { buffer[index] *= scale }
            }
        }
        let rate = schedule.rate(at: step)
        optimizer.update(
            parameters: encoder.parameters, gradients: encoder.gradients, learningRate: rate, weightDecay: options.weightDecay,
            decayed: decayedRanges)
        if head.parameters.count > 0 {
            head.optimizer.update(parameters: head.parameters, gradients: head.gradients, learningRate: rate, weightDecay: 0, decayed: [])
        }
        return norm
    }

    /// Mean accuracy on fixed episodes of the validation labels (`validationWays`-way
    /// `validationShots`-shot). With several validation families (comma-separated), each gets
    /// its own episodes and the score is the mean of their accuracies, so a small genre counts as
    /// much as a large one. A protomaml model is scored as it will be used: after the update it was
    /// trained for, in every episode (`eval --finetune-steps N --finetune-choice always`), since
    /// its plain prototypes are not what it is for and can fall while the adapted ones rise.
    public func validate() throws -> Double {
        let families = options.validationFamily.map { $0.split(separator: ",").map { Optional(String($0)) } } ?? [nil]
        var total = 0.0
        for family in families {
            let sampler = try EpisodeSampler(
                index: index, split: .val, family: family, ways: options.validationWays, shots: options.validationShots,
                queries: options.validationQueries, seed: options.validationSeed, smallFamilies: options.smallFamilies == true)
            let classifier: any EpisodeClassifier =
                options.method == .protomaml
                ? AdaptedPrototypeClassifier(model: model, index: index, settings: options.innerAdaptation)
                : try PrototypeClassifier(model: model, index: index, labels: sampler.classesByFamily.flatMap(\.labels))
            total += Evaluation.run(classifier, sampler: sampler, episodes: options.validationEpisodes).mean
        }
        return total / Double(families.count)
    }

    /// Writes the model; a protomaml model records the update it was trained to start from, so
    /// `train` and `eval` make it by default.
    func saveModel(to path: String) throws {
        let update = options.method == .protomaml && options.innerSteps > 0 ? options.trainedUpdate.entry : [:]
        try EncoderCheckpoint.save(encoder, metadata: .init(vocabulary: model.tokenizer.vocabulary, extra: update), to: path)
    }

    /// The tensors a checkpoint holds besides the encoder's weights.
    var stateTensors: [(String, Buffer<Float>)] {
        [
            ("adam.m", optimizer.first), ("adam.v", optimizer.second), ("head", head.parameters), ("head.adam.m", head.optimizer.first),
            ("head.adam.v", head.optimizer.second),
        ] + (anchor.count > 0 ? [("anchor", anchor)] : [])
    }

    /// The resumable state: parameters, optimizer moments, head, counters and options.
    public func saveState() throws {
        let state = TrainingState(
            step: step, encoderAdamStep: optimizer.step, headAdamStep: head.optimizer.step, bestValidation: bestValidation,
            validationsSinceBest: validationsSinceBest, options: options, index: indexFingerprint)
        let extra = [TrainingState.metadataKey: String(decoding: try JSONEncoder.sorted.encode(state), as: UTF8.self)]
        try EncoderCheckpoint.save(
            encoder, metadata: .init(vocabulary: model.tokenizer.vocabulary, extra: extra), to: statePath, extraTensors: stateTensors)
    }

    /// What the state records of the index, to resume only on the same corpora.
    var indexFingerprint: String { String(index.checksum, radix: 16) }

    /// The names of the options that differ (as `MetaTrainingOptions` spells them, "option
    /// learningRate"), found by comparing the two encoded as JSON objects.
    static func differingOptions(_ a: MetaTrainingOptions, _ b: MetaTrainingOptions) throws -> [String] {
        guard a != b else { return [] }
        func fields(_ options: MetaTrainingOptions) throws -> [String: String] {
            let object = try JSONSerialization.jsonObject(with: try JSONEncoder.sorted.encode(options)) as? [String: Any] ?? [:]
            return object.mapValues { "\($0)" }
        }
        let (left, right) = (try fields(a), try fields(b))
        let names = Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
        return names.isEmpty ? ["option"] : names.map { "option \($0)" }
    }

    /// Continues from `output + ".state"`, which must have been made with the same options.
    public func resume() throws {
        let (saved, metadata, file) = try EncoderCheckpoint.load(statePath)
        guard let text = metadata.extra[TrainingState.metadataKey],
            let state = try? JSONDecoder().decode(TrainingState.self, from: Data(text.utf8))
        else { throw TrainingError.noTrainingState(path: statePath) }
        var differences = try Self.differingOptions(state.options, options)
        if let savedIndex = state.index, savedIndex != indexFingerprint {
            differences.append("index (its corpora changed)")
        }
        if saved.config != encoder.config || saved.parameters.count != encoder.parameters.count { differences.append("model") }
        guard differences.isEmpty else { throw TrainingError.optionsDiffer(path: statePath, differences: differences) }
        encoder.parameters.update(from: saved.parameters.pointer, count: saved.parameters.count)
        for (name, buffer) in stateTensors {
            guard file.tensors[name]?.count == buffer.count else {
                throw StorageError.corrupted(path: statePath, detail: "tensor \(name) missing or misshapen")
            }
            try file.read(name, into: buffer.pointer)
        }
        step = state.step
        optimizer.step = state.encoderAdamStep
        head.optimizer.step = state.headAdamStep
        bestValidation = state.bestValidation
        validationsSinceBest = state.validationsSinceBest
    }
}
