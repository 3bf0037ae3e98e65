import Embedding

extension FewShotClassifier {
    /// Forgets stored examples: each request (labels, text) removes that text from those labels,
    /// in every stored copy; an example left with no label is dropped, and so is a label left
    /// with no example. Returns, per request, how many stored examples it touched (0: no match).
    /// The sums are then summed again from what remains, so the classifier equals one trained
    /// on the remaining examples, and the probabilities are refitted on them.
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
        rebuildFromMemory(memory, memberships: memberships)
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
        rebuildFromMemory(memory, memberships: memberships)
        return dropped
    }

    /// The same classifier built with another encoder: every stored text embedded again with
    /// `model` and the probabilities fitted anew. Needs the texts (not kept under `--no-texts`).
    /// An adapted encoder (`adapt`) is not re-adapted: the new one is used as it is.
    public func rebuilt(with model: SentenceEncoder) throws -> FewShotClassifier {
        let memory = try requireMemory()
        guard let texts = memory.texts else { throw ClassifierError.noStoredTexts(self.model.path) }
        let fresh = FewShotClassifier(model: model)
        (fresh.temperature, fresh.temperatureIsFixed) = temperatureIsFixed ? (temperature, true) : (TemperatureFit.unfitted, false)
        // Keep the label order of this classifier.
        fresh.labels = labels
        fresh.sums = [Float](repeating: 0, count: labels.count * model.dimension)
        fresh.counts = [Int](repeating: 0, count: labels.count)
        if multiLabel {
            fresh.multiLabel = true
            fresh.thresholds = thresholds
            try fresh.addMultiLabel(zip(memory.memberships, texts).map { members, text in (members.map { labels[$0] }, text) })
        } else {
            try fresh.add(zip(memory.memberships, texts).map { members, text in (labels[members[0]], text) })
        }
        return fresh
    }

    /// Keeps the stored examples' embeddings and fingerprints but drops their texts (privacy).
    public func forgetTexts() { memory?.dropTexts() }

    /// The stored examples, or the error that says this file keeps none.
    public func requireMemory() throws -> ExampleMemory {
        guard let memory else { throw ClassifierError.noStoredExamples(model.path) }
        return memory
    }

    /// Makes `memory`, with these label lists, the classifier's examples: empty examples and
    /// labels without examples go, and sums, counts and fits follow from what stays.
    private func rebuildFromMemory(_ memory: ExampleMemory, memberships: [[Int]]) {
        let used = Set(memberships.joined())
        let keptLabels = labels.indices.filter { used.contains($0) }
        var labelMap = [Int?](repeating: nil, count: labels.count)
        for (new, old) in keptLabels.enumerated() { labelMap[old] = new }
        let rows = memberships.indices.filter { !memberships[$0].isEmpty }
        let relabelled = memory.selecting(rows, memberships: rows.map { memberships[$0].compactMap { labelMap[$0] } })
        labels = keptLabels.map { labels[$0] }
        (sums, counts) = relabelled.sumsAndCounts(labelCount: labels.count)
        self.memory = relabelled
        // Fit from scratch, as training on these examples would (what they allow no fit for gets
        // the defaults of a new classifier).
        if !temperatureIsFixed { temperature = TemperatureFit.unfitted }
        openSetThreshold = nil
        if multiLabel { (thresholds, multiLabelSlope) = ([], MultiLabelFit.fallbackSlope) }
        refit(embeddings: relabelled.embeddings, memberships: relabelled.memberships)
    }
}
