import Embedding
import FewShot
import Foundation

/// `--finetune-steps`, `--finetune-lr`, `--finetune-loss`, `--finetune-anchor`,
/// `--finetune-layers` and `--finetune-choice`: the per-task update of the encoder, shared by
/// `train` (which keeps it) and `eval` (which measures it per episode), so both read the same
/// settings the same way.
struct AdaptationOptions {
    let settings: AdaptationSettings
    let choice: AdaptationChoice
    /// True when the steps are the model's own (`TrainedUpdate`), not --finetune-steps.
    let fromModel: Bool

    /// The options, `steps` described by the command that uses them.
    static func options(steps: String) -> [Option] {
        [
            .value("finetune-steps", "N", steps, default: "0"),
            .value(
                "finetune-lr", "RATE",
                "Learning rate of the adaptation (the 'head' loss's head learns "
                    + "\(Int(AdaptationSettings.headLearningRateFactor))x faster).",
                default: "\(AdaptationSettings.defaultLearningRate)"),
            .value(
                "finetune-loss", "LOSS",
                "What the adaptation minimises: 'head' (a cosine classifier that starts as the prototypes, trained with the "
                    + "encoder) or 'pairs' (SetFit's loss: the cosine of every two examples pulled to 1 for one label, to 0 "
                    + "for two; the prototypes then classify).",
                default: AdaptationObjective.head.rawValue),
            .value(
                "finetune-anchor", "A",
                "Pull the adapted weights back to the model's (L2-SP): A · (w − w_model) is added to every gradient. 0: no pull.",
                default: "0"),
            .value(
                "finetune-layers", "K",
                "Adapt only the encoder's top K layers ('all': every layer). The layers below run once instead of at every "
                    + "step, so fewer layers adapt faster.",
                default: "all"),
            .value(
                "finetune-choice", "C",
                "'auto': keep the adapted encoder only if, adapted on \(AdaptationCheck.folds) folds of the examples in turn, it "
                    + "classifies \(AdaptationCheck.requiredGain) more of the held-out ones correctly than the encoder as it is; "
                    + "'always': keep it ('fewshot train' still runs the check: a kept encoder's probabilities are fitted on "
                    + "its held-out scores).",
                default: AdaptationChoice.auto.rawValue),
        ]
    }

    /// The settings given (or defaulted); bad ones are usage errors. Without --finetune-steps,
    /// `trainedUpdate` (the update the model was meta-trained to start from) is made: its steps,
    /// its rate unless --finetune-lr is given, and in every classifier unless --finetune-choice is.
    init(_ parsed: ParsedArguments, command: Command, trainedUpdate: TrainedUpdate? = nil) throws {
        let model = parsed.given("finetune-steps") ? nil : trainedUpdate
        let steps = try model?.steps ?? parsed.int("finetune-steps", in: 0...100_000)
        let given = try parsed.double("finetune-lr")
        let rate = parsed.given("finetune-lr") ? given : model.map { Double($0.learningRate) } ?? given
        guard rate >= 0 else { throw CLIError.usage("--finetune-lr must be a learning rate of 0 or more", command: command.name) }
        let objective: AdaptationObjective = try Self.named("finetune-loss", parsed, command)
        let anchor = try parsed.double("finetune-anchor")
        guard anchor >= 0 else { throw CLIError.usage("--finetune-anchor must be 0 or more, got \(anchor)", command: command.name) }
        let layersText = try parsed.required("finetune-layers")
        var layers: Int?
        if layersText != "all" {
            guard let count = Int(layersText), count >= 1 else {
                throw CLIError.usage(
                    "--finetune-layers must be a number of layers of 1 or more, or 'all', got '\(layersText)'", command: command.name)
            }
            layers = count
        }
        settings = AdaptationSettings(
            steps: steps, learningRate: Float(rate), objective: objective, anchor: Float(anchor), layers: layers)
        let named: AdaptationChoice = try Self.named("finetune-choice", parsed, command)
        choice = model != nil && !parsed.given("finetune-choice") ? .always : named
        fromModel = model != nil
    }

    /// The case of `Choice` the option names; another word is a usage error that lists them.
    static func named<Choice: RawRepresentable & CaseIterable>(_ name: String, _ parsed: ParsedArguments, _ command: Command) throws
        -> Choice
    where Choice.RawValue == String {
        let text = try parsed.required(name)
        guard let value = Choice(rawValue: text) else {
            let known = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError.usage("--\(name) must be one of \(known), got '\(text)'", command: command.name)
        }
        return value
    }
}
