extension FewShotClassifier {
    /// What the classifier says about one line.
    public struct Prediction: Sendable, Equatable {
        /// Labels by decreasing probability (label index, probability), ties in label order;
        /// empty for a line with no text.
        public let ranked: [(label: Int, probability: Float)]
        /// The best cosine to a prototype (what the open-set threshold applies to); 0 for no text.
        public var similarity: Float = 0

        public init(ranked: [(label: Int, probability: Float)], similarity: Float = 0) {
            self.ranked = ranked
            self.similarity = similarity
        }

        /// The prediction with these per-label probabilities, ranked.
        public init(probabilities: [Float], similarity: Float) {
            let ranked = probabilities.enumerated().map { (label: $0.offset, probability: $0.element) }
                .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.label < $1.label }
            self.init(ranked: ranked, similarity: similarity)
        }

        public static func == (a: Prediction, b: Prediction) -> Bool {
            a.ranked.map(\.label) == b.ranked.map(\.label) && a.ranked.map(\.probability) == b.ranked.map(\.probability)
        }
    }
}
