/// Anything that can classify an episode's queries from its support set.
public protocol EpisodeClassifier: Sendable {
    /// For each class's queries, in order, the predicted class position (0..<ways).
    func predict(_ episode: Episode) -> [[Int]]
}
