extension FewShotClassifier {
    /// What the classifier says about one line.
    public struct Prediction: Sendable, Equatable {
        /// Labels by decreasing probability (label index, probability), ties in label order;
        /// empty for a line with no text.
        public let ranked: [(label: Int, probability: Float)]
        /// What the open-set threshold applies to: the best score, less the encoder's
        /// `BackgroundTopics.penalty` for the line; nil when not asked for (`classify(openSet:)`)
        /// and for a line with no text.
        public var openSetScore: Float?

        public init(ranked: [(label: Int, probability: Float)], openSetScore: Float? = nil) {
            self.ranked = ranked
            self.openSetScore = openSetScore
        }

        /// The prediction with these per-label probabilities, ranked.
        public init(probabilities: [Float], openSetScore: Float?) {
            let ranked = probabilities.enumerated().map { (label: $0.offset, probability: $0.element) }
                .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.label < $1.label }
            self.init(ranked: ranked, openSetScore: openSetScore)
        }

        public static func == (a: Prediction, b: Prediction) -> Bool {
            a.ranked.map(\.label) == b.ranked.map(\.label) && a.ranked.map(\.probability) == b.ranked.map(\.probability)
        }
    }
}
