import Embedding

extension FewShotClassifier {
    /// Forgets stored examples: each request (labels, text) removes that text from those labels,
    /// in every stored copy; an example left with no label is dropped, and so is a label left
    /// with no example. Returns, per request, how many stored examples it touched (0: no match).
    /// The classifier is then the one trained on the remaining examples (`replaceExamples`).
    public func forget(_ requests: [(labels: [String], text: [UInt8])]) throws -> [Int] {
        let memory = try requireMemory()
        var removals: [UInt64: [(request: Int, labels: Set<Int>)]] = [:]
        for (index, request) in requests.enumerated() {
            let known = Set(request.labels.compactMap { labels.firstIndex(of: $0) })
            removals[ExampleMemory.fingerprint(request.text), default: []].append((index, known))
        }
        var touched = [Int](repeating: 0, count: requests.count)
        var memberships = memory.memberships
        for row in 0..<memory.count {
            guard let matches = removals[memory.fingerprints[row]] else { continue }
            // With texts kept, compare them too: a fingerprint collision must not forget the wrong line.
            if let texts = memory.texts, !matches.contains(where: { requests[$0.request].text == texts[row] }) { continue }
            for match in matches where !match.labels.isDisjoint(with: memberships[row]) {
                memberships[row].removeAll { match.labels.contains($0) }
                touched[match.request] += 1
            }
        }
        replaceExamples(memory.relabelled(memberships), labels: labels)
        return touched
    }

    /// Keeps, for every label, only its `limit` most recent examples (a bounded memory for a
    /// drifting stream); returns how many label assignments were dropped.
    @discardableResult
    public func keepLast(_ limit: Int) throws -> Int {
        precondition(limit > 0)
        let memory = try requireMemory()
        var kept = [Int](repeating: 0, count: labels.count)
        var memberships = memory.memberships
        var dropped = 0
        for row in stride(from: memory.count - 1, through: 0, by: -1) {
            memberships[row] = memberships[row].filter { k in
                kept[k] += 1
                if kept[k] <= limit { return true }
                dropped += 1
                return false
            }
        }
        replaceExamples(memory.relabelled(memberships), labels: labels)
        return dropped
    }

    /// The same classifier built with another encoder: every stored text embedded again with
    /// `model` and the probabilities fitted anew (a fixed temperature stays; the lexical weight is
    /// the new encoder's, unless the user had set another, which stays). Needs the texts
    /// (not kept under `--no-texts`). An adapted encoder (`adapt`) is not re-adapted: the new one
    /// is used as it is.
    public func rebuilt(with model: SentenceEncoder) throws -> FewShotClassifier {
        var memory = try requireMemory()
        guard let texts = memory.texts else { throw ClassifierError.noStoredTexts(self.model.path) }
        let fresh = FewShotClassifier(model: model)
        // The words' weight follows the new model's own unless the user set another (0 for the
        // embeddings alone, say): that choice is kept, as a fixed temperature is.
        let followsModel = fit.lexicalWeight == self.model.lexicon?.weight
        fresh.fit = .unfitted(
            multiLabel: isMultiLabel, fixedTemperature: fit.temperatureIsFixed ? fit.temperature : nil,
            lexicalWeight: followsModel || model.lexicon == nil ? fresh.fit.lexicalWeight : fit.lexicalWeight)
        let tokens = model.tokenize(texts)
        memory.replaceEmbeddings(
            try model.embed(tokenized: tokens), dimension: model.dimension, lexical: model.lexicon.map { tokens.map($0.vector) })
        fresh.replaceExamples(memory, labels: labels)
        return fresh
    }

    /// Keeps the stored examples' embeddings and fingerprints but drops their texts and TF-IDF
    /// vectors (privacy: the vectors show a text's words); the classifier then scores by the
    /// embeddings alone, fitted again.
    public func forgetTexts() {
        guard var memory else { return }
        memory.dropTexts()
        fit.lexicalWeight = nil
        replaceExamples(memory, labels: labels)
    }
}
