import Embedding
import FewShot
import Foundation
import Transformer

/// `--layers` and `--max-positions`: start from some of a model's layers (a shallower, faster
/// student that keeps the teacher's full-width embeddings), shared by `convert` and `meta-train`.
enum LayerOptions {
    static let options: [Option] = [
        .value("layers", "I,J,...", "Keep only these layers of the model (0-based, in this order), e.g. 0,2,4 of all-MiniLM-L6-v2."),
        .value("max-positions", "N", "Keep at most N learned positions (inputs are truncated to N tokens)."),
    ]

    /// The model with the requested layers and positions, or the model itself when neither is given.
    /// `restoresBackground`: the caller stores background topics again (`convert --background`),
    /// so dropping the old ones is not news to the user.
    static func apply(
        _ parsed: ParsedArguments, to model: SentenceEncoder, command: Command, restoresBackground: Bool = false
    ) throws -> SentenceEncoder {
        let layersText = parsed.string("layers")
        let maxPositions = try parsed.optionalInt("max-positions", in: 2...100_000)
        guard layersText != nil || maxPositions != nil else { return model }
        var layers = Array(0..<model.encoder.config.layers)
        if parsed.given("layers") { layers = try parsed.intList("layers", in: 0...Int.max) }
        let encoder = try model.encoder.selectingLayers(layers, maxPositions: maxPositions)
        let selected = try SentenceEncoder(
            tokenizer: model.tokenizer, encoder: encoder, maxLength: min(model.maxLength, encoder.config.maxPositions), path: model.path)
        selected.lexicon = model.lexicon
        try selected.setCompanion(model.companion)
        // Background topics are the model's own embeddings: kept while they still are (every
        // layer in order and the same input length), dropped, and said so, otherwise.
        if layers == Array(0..<model.encoder.config.layers) && selected.maxLength == model.maxLength {
            selected.background = model.background
        } else if let background = model.background, !restoresBackground {
            printError(
                "\(command.name): the \(background.count) background topics are dropped (the selected layers or positions embed lines "
                    + "differently); store them again with 'fewshot convert --background INDEX.fsi'")
        }
        return selected
    }
}
