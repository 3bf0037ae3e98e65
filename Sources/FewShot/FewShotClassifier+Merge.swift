import Foundation

extension FewShotClassifier {
    /// Adds another classifier's prototypes to this one: per label, sums and counts add (labels
    /// new to this classifier are appended in the other's order). Because a prototype is a sum
    /// over examples, merging classifiers built apart from disjoint example sets gives the
    /// prototypes of the classifier built from their union, while no party shares its examples.
    /// When both keep their examples (`memory`), these are joined (texts only if both keep
    /// texts) and the probabilities are fitted on the union, so the result is the classifier
    /// trained on it. Otherwise the stored examples are dropped and the softmax temperatures,
    /// each fitted on its side's examples, combine as a count-weighted geometric mean, the
    /// open-set thresholds as a count-weighted mean. A temperature fixed by the user is kept
    /// (two fixed ones combine as above).
    ///
    /// Both must embed text identically: the same encoder weights, configuration, vocabulary and
    /// input length; anything else is refused, since sums from different spaces cannot be added.
    public func merge(_ other: FewShotClassifier) throws {
        let mine = model.encoder, theirs = other.model.encoder
        guard mine.config == theirs.config, model.tokenizer.vocabulary.fingerprint == other.model.tokenizer.vocabulary.fingerprint,
            model.maxLength == other.model.maxLength,
            memcmp(mine.parameters.pointer, theirs.parameters.pointer, mine.parameters.count * MemoryLayout<Float>.stride) == 0
        else { throw ClassifierError.differentEncoders(model.path, other.model.path) }
        guard multiLabel == other.multiLabel else {
            throw ClassifierError.mixedLabelModes("'\(multiLabel ? model.path : other.model.path)' is multi-label, the other is not")
        }
        let d = model.dimension
        // Each temperature was fitted on its side's examples: combine them weighted by example count.
        let ownCount = Float(counts.reduce(0, +)), otherCount = Float(other.counts.reduce(0, +))
        // A temperature the user fixed wins over fitted ones.
        if other.temperatureIsFixed && !temperatureIsFixed {
            (temperature, temperatureIsFixed) = (other.temperature, true)
        } else if temperatureIsFixed == other.temperatureIsFixed && ownCount + otherCount > 0 {
            temperature = Foundation.exp(
                (ownCount * Foundation.log(temperature) + otherCount * Foundation.log(other.temperature)) / (ownCount + otherCount))
        }
        // The open-set thresholds likewise, as a count-weighted mean (one side's alone if the other has none).
        switch (openSetThreshold, other.openSetThreshold) {
        case (let mine?, let theirs?) where ownCount + otherCount > 0:
            openSetThreshold = (ownCount * mine + otherCount * theirs) / (ownCount + otherCount)
        case (nil, let theirs?): openSetThreshold = theirs
        default: break
        }
        if multiLabel && ownCount + otherCount > 0 {
            multiLabelSlope = Foundation.exp(
                (ownCount * Foundation.log(multiLabelSlope) + otherCount * Foundation.log(other.multiLabelSlope)) / (ownCount + otherCount))
        }
        var positions: [Int] = []
        for (index, label) in other.labels.enumerated() {
            let isNew = !labels.contains(label)
            let position = position(of: label)
            if multiLabel && isNew {
                thresholds.append(other.thresholds[index])
            } else if multiLabel {
                // A label's threshold: count-weighted over the two sides' examples of it.
                let (mine, theirs) = (Float(counts[position]), Float(other.counts[index]))
                thresholds[position] = (mine * thresholds[position] + theirs * other.thresholds[index]) / max(mine + theirs, 1)
            }
            for j in 0..<d { sums[position * d + j] += other.sums[index * d + j] }
            counts[position] += other.counts[index]
            positions.append(position)
        }
        // The stored examples join only if both keep them: a memory must cover every count.
        if let mine = memory, let theirs = other.memory {
            let joined = mine.appending(theirs, labelMap: positions)
            memory = joined
            // With every example at hand, fit on the union as training on it would.
            refit(embeddings: joined.embeddings, memberships: joined.memberships)
        } else {
            memory = nil
        }
    }
}
