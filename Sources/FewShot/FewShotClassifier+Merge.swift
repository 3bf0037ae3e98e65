import Embedding
import Foundation

extension FewShotClassifier {
    /// Adds another classifier's examples to this one's (labels new to this classifier are
    /// appended in the other's order), which then is the classifier trained on the union: the
    /// prototypes are summed from it and the probabilities fitted on it. Each party can build its
    /// classifier from its own lines and share only the file (`--no-texts` keeps embeddings,
    /// not texts). The result keeps texts only if both do. A temperature fixed by the user is
    /// kept: this classifier's if it fixed one, else the other's. Both must score words with the
    /// same weight, unless one keeps no words (then the result scores by embeddings alone).
    ///
    /// Both must embed text identically: the same encoder weights, configuration, vocabulary,
    /// input length and companion; anything else is refused, since embeddings from different
    /// spaces cannot be added. A file that keeps no examples (version 1) cannot be merged.
    public func merge(_ other: FewShotClassifier) throws {
        let mine = model.encoder, theirs = other.model.encoder
        guard mine.config == theirs.config, model.tokenizer.vocabulary.fingerprint == other.model.tokenizer.vocabulary.fingerprint,
            model.maxLength == other.model.maxLength, model.lexicon == other.model.lexicon, model.background == other.model.background,
            Companion.same(model.companion, other.model.companion),
            memcmp(mine.parameters.pointer, theirs.parameters.pointer, mine.parameters.count * MemoryLayout<Float>.stride) == 0
        else { throw ClassifierError.differentEncoders(model.path, other.model.path) }
        guard isMultiLabel == other.isMultiLabel else {
            throw ClassifierError.mixedLabelModes("'\(isMultiLabel ? model.path : other.model.path)' is multi-label, the other is not")
        }
        let memory = try requireMemory()
        let otherMemory = try other.requireMemory()
        var labels = self.labels
        let positions = Self.indices(of: other.labels, extending: &labels)
        // Words count only if both sides keep them (a side without texts keeps no TF-IDF vectors);
        // two different weights have no union to agree with, so they are refused.
        if memory.lexicalTerms != nil && otherMemory.lexicalTerms != nil && fit.lexicalWeight != other.fit.lexicalWeight {
            throw ClassifierError.differentLexicalWeights(
                model.path, fit.lexicalWeight ?? 0, other.model.path, other.fit.lexicalWeight ?? 0)
        }
        if otherMemory.lexicalTerms == nil { fit.lexicalWeight = nil }
        if other.fit.temperatureIsFixed && !fit.temperatureIsFixed {
            (fit.temperature, fit.temperatureIsFixed) = (other.fit.temperature, true)
        }
        replaceExamples(memory.appending(otherMemory, labelMap: positions), labels: labels)
    }
}
