import FewShot

/// Simulated labelling sessions, as a user of `fewshot suggest` lives them (`fewshot eval
/// --active`): start from an episode's support set, then in each round score an unlabelled pool
/// with the classifier built so far, let a `LabelSuggester` strategy pick `batch` lines, add them
/// with their true labels (as the user would type them), and measure accuracy on held-out
/// queries after every round.
///
/// An episode's queries are split: the first `pool` of each class form the unlabelled pool (its
/// classes unknown to the strategy), the rest are the test queries. Probabilities are
/// softmax(T · score) with T fitted on the support set as `fewshot train` fits it.
public struct ActiveLearning: Sendable {
    public let rounds: Int
    public let batch: Int
    public let pool: Int
    public let unfittedTemperature: Float

    public init(rounds: Int, batch: Int, pool: Int, unfittedTemperature: Float = TemperatureFit.unfitted) {
        precondition(rounds >= 1 && batch >= 1 && pool >= 1)
        (self.rounds, self.batch, self.pool, self.unfittedTemperature) = (rounds, batch, pool, unfittedTemperature)
    }

    /// Accuracy on the test queries before the first round and after each one (rounds + 1 values);
    /// `seed` is the random strategy's stream.
    public func session(_ episode: Episode, scorer: some EpisodeScoring, strategy: LabelSuggester.Strategy, seed: UInt64) -> [Double] {
        var support = episode.support
        var unlabelled = episode.query.enumerated().flatMap { position, examples in examples.prefix(pool).map { ($0, position) } }
        let test = episode.query.map { Array($0.dropFirst(pool)) }
        var curve: [Double] = []
        for round in 0...rounds {
            let current = Episode(classes: episode.classes, support: support, query: test)
            curve.append(Evaluation.accuracy(scorer.predict(current), of: current))
            guard round < rounds, !unlabelled.isEmpty else { continue }
            let temperature = TemperatureFit.fitted(scorer.supportScores(current), prior: TemperatureFit.prior) ?? unfittedTemperature
            let score = scorer.queryScorer(current)
            var suggester = LabelSuggester(
                strategy: strategy, count: batch, seed: seed &+ UInt64(round), labelled: support.joined().flatMap(scorer.embedding),
                dimension: scorer.dimension)
            for (id, (example, _)) in unlabelled.enumerated() {
                let prediction = FewShotClassifier.Prediction(
                    probabilities: TemperatureFit.softmax(score(example), temperature: temperature), openSetScore: nil)
                suggester.offer(
                    id: id, margin: LabelSuggester.margin(prediction), guess: prediction.ranked[0],
                    embedding: strategy == .representative ? scorer.embedding(example) : [])
            }
            let picked = Set(suggester.picked().map(\.id))
            for id in picked.sorted() { support[unlabelled[id].1].append(unlabelled[id].0) }
            unlabelled = unlabelled.enumerated().filter { !picked.contains($0.offset) }.map(\.element)
        }
        return curve
    }
}
