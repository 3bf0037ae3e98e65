import Embedding

extension FewShotClassifier {
    /// Why a line got its label: the prediction, and the stored examples of the best label that
    /// score highest against the line.
    public struct Explanation: Sendable {
        public let prediction: Prediction
        /// Rows of `memory` (examples in the order they were added) under the best label, highest
        /// score first (ties by row), with the score: the line's cosine to the example, plus the
        /// weighted TF-IDF cosine when the classifier scores words too. Empty for a line with no text.
        public let nearest: [(row: Int, score: Float)]
    }

    /// Classifies token sequences and, for each line, finds up to `count` stored examples of its
    /// best label nearest to it. The score is the one the label's prototype gets, so these are
    /// the examples that pulled the line to its label. A classifier that keeps no examples (a
    /// version-1 file) cannot say which; it throws.
    public func explain(tokenized: [[Int32]], nearest count: Int) throws -> [Explanation] {
        let memory = try requireMemory()
        let weight = activeLexicalWeight
        var explanations = [Explanation](repeating: Explanation(prediction: Prediction(ranked: []), nearest: []), count: tokenized.count)
        try scoreLines(tokenized, openSet: true) { line, embedding, vector, scores, penalty in
            let prediction = prediction(scores, openSetPenalty: penalty)
            var nearest: [(row: Int, score: Float)] = []
            if let best = prediction.ranked.first?.label {
                let cosines = Prototypes.cosines(
                    of: Array(embedding), row: 0, to: memory.embeddings, count: memory.count, dimension: memory.dimension)
                for row in memory.memberships.indices where memory.memberships[row].contains(best) {
                    var score = cosines[row]
                    if let weight, let vector, let stored = memory.lexicalVector(row) { score += weight * LexicalTable.dot(vector, stored) }
                    nearest.append((row, score))
                }
                nearest.sort { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }
            }
            explanations[line] = Explanation(prediction: prediction, nearest: Array(nearest.prefix(count)))
        }
        return explanations
    }
}
