import Foundation

extension Losses {
    /// "None of these" as a ranking: in an open-set episode, every known query should score its
    /// own label's prototype higher than any unknown query (a line of a label outside the
    /// episode) scores its best prototype. The score is what `classify` thresholds: the cosine
    /// to the normalized prototype. The loss is the mean over (known, unknown) pairs of
    /// softplus(sharpness · (best cosine of the unknown − own cosine of the known)), a smooth
    /// surrogate of one minus the episode's AUROC.
    ///
    /// Rows: ways×shots support rows (class by class), ways×queries known query rows, then
    /// `unknownRows` unknown query rows; L2-normalized. Adds `weight` times the loss's gradient
    /// into dE (all rows) and returns (unweighted loss, the episode's AUROC).
    public static func openSetRanking<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, dimension d: Int, ways: Int, shots: Int, queries: Int, unknownRows: Int, sharpness: S, weight: S,
        gradient dE: UnsafeMutablePointer<S>
    ) -> (loss: Double, auroc: Double) {
        let supportRows = ways * shots
        let knownRows = ways * queries
        guard unknownRows > 0, knownRows > 0 else { return (0, 0.5) }
        // Prototypes c_k (support means) and their unit directions ĉ_k.
        let means = supportMeans(e, dimension: d, ways: ways, shots: shots)
        var norms = [S](repeating: 0, count: ways)
        var units = means
        for k in 0..<ways {
            var squared: S = 0
            for j in 0..<d { squared += means[k * d + j] * means[k * d + j] }
            norms[k] = max(squared.squareRoot(), S(1e-12))
            for j in 0..<d { units[k * d + j] /= norms[k] }
        }
        func cosine(_ row: Int, _ k: Int) -> S {
            var dot: S = 0
            for j in 0..<d { dot += e[row * d + j] * units[k * d + j] }
            return dot
        }
        let knownScores = (0..<knownRows).map { q in cosine(supportRows + q, q / queries) }
        var unknownScores = [S](repeating: 0, count: unknownRows)
        var unknownBest = [Int](repeating: 0, count: unknownRows)
        for u in 0..<unknownRows {
            let row = supportRows + knownRows + u
            var best = 0
            var bestScore = cosine(row, 0)
            for k in 1..<ways {
                let score = cosine(row, k)
                if score > bestScore { (best, bestScore) = (k, score) }
            }
            unknownScores[u] = bestScore
            unknownBest[u] = best
        }
        // dL/d(score) for every known and unknown query.
        let pairs = Double(knownRows * unknownRows)
        var loss = 0.0
        var ordered = 0.0
        var dKnown = [S](repeating: 0, count: knownRows)
        var dUnknown = [S](repeating: 0, count: unknownRows)
        for q in 0..<knownRows {
            for u in 0..<unknownRows {
                let margin = Double(sharpness * (unknownScores[u] - knownScores[q]))
                loss += margin > 30 ? margin : log1p(exp(margin))
                ordered += knownScores[q] > unknownScores[u] ? 1 : knownScores[q] == unknownScores[u] ? 0.5 : 0
                let slope = S(1 / (1 + exp(-margin)) / pairs) * sharpness
                dKnown[q] -= slope
                dUnknown[u] += slope
            }
        }
        // score = e_row · ĉ_k: d/de_row = ĉ_k; d/dc_k = (e_row − score·ĉ_k)/‖c_k‖, and c_k is the
        // mean of its support rows.
        var dMeans = [S](repeating: 0, count: ways * d)
        func backward(row: Int, k: Int, score: S, upstream: S) {
            let g = upstream * weight
            for j in 0..<d {
                dE[row * d + j] += g * units[k * d + j]
                dMeans[k * d + j] += g * (e[row * d + j] - score * units[k * d + j]) / norms[k]
            }
        }
        for q in 0..<knownRows { backward(row: supportRows + q, k: q / queries, score: knownScores[q], upstream: dKnown[q]) }
        for u in 0..<unknownRows {
            backward(row: supportRows + knownRows + u, k: unknownBest[u], score: unknownScores[u], upstream: dUnknown[u])
        }
        addSupportGradient(dMeans, dimension: d, ways: ways, shots: shots, into: dE)
        return (loss / pairs, ordered / pairs)
    }
}
