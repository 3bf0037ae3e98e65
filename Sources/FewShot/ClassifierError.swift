/// Why two classifiers, or a classifier and examples, cannot be combined.
public enum ClassifierError: Error, CustomStringConvertible, Equatable {
    case differentEncoders(String, String)
    /// Single-label and multi-label mixed: `detail` says which is which.
    case mixedLabelModes(String)
    /// The file keeps no examples (an old format), so it cannot change.
    case noStoredExamples(String)
    /// The file keeps examples without their texts, so they cannot be embedded again.
    case noStoredTexts(String)
    /// The classifier has no TF-IDF vectors of its examples, so it cannot score with words.
    case noLexicalVectors(String)
    /// Two classifiers to merge score words with different weights.
    case differentLexicalWeights(String, Float, String, Float)
    /// Adapting the encoder at this learning rate drove its weights to NaN or infinity.
    case adaptationDiverged(learningRate: Float)

    public var description: String {
        switch self {
        case .differentEncoders(let a, let b):
            return
                "'\(a)' and '\(b)' embed text with different encoders (weights, vocabulary or input length "
                + "differ), so their prototypes cannot be added; "
                + "train both with the same --model and without --finetune-steps"
        case .mixedLabelModes(let detail):
            return "single-label and multi-label cannot be mixed: \(detail)"
        case .noStoredExamples(let path):
            return
                "'\(path)' keeps no examples (it was written by an older fewshot, before classifiers kept them), so it can "
                + "classify and be tested but not change (add, remove, cap, merge or re-embed); train it afresh from your examples"
        case .noLexicalVectors(let path):
            return
                "'\(path)' keeps no word vectors of its examples (trained with --no-texts, or its encoder has no lexicon: "
                + "'fewshot convert --lexicon'), so it can score by the embeddings alone (--lexical 0)"
        case .differentLexicalWeights(let a, let aWeight, let b, let bWeight):
            return
                "'\(a)' scores words with weight \(aWeight) and '\(b)' with \(bWeight), so no one classifier is their union; "
                + "give both the same with 'fewshot train --update FILE --lexical W' first"
        case .adaptationDiverged(let rate):
            return
                "adapting the encoder at --finetune-lr \(rate) diverged (its weights became NaN or infinite); "
                + "try a lower --finetune-lr, or --finetune-choice auto, which keeps the plain encoder when the update does not pay"
        case .noStoredTexts(let path):
            return
                "'\(path)' keeps its examples without their texts (--no-texts), so they cannot be embedded with another "
                + "encoder; train afresh from your examples with the new --model"
        }
    }
}
