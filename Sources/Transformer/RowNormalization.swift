/// Rows scaled to unit Euclidean length, y = x / max(‖x‖, 1e-12) (sentence-transformers'
/// `Normalize`; the floor keeps an all-zero row zero), with its backward pass. The one place
/// where the encoder's output, label prototypes and leave-one-out prototypes are normalized.
///
/// Shapes (see `ShapeLegend`): x, y rows × C, norms rows.
public enum RowNormalization {
    /// Normalizes each row of x into y (which may be x), storing each row's norm when asked.
    public static func forward<S: BinaryFloatingPoint>(
        _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, norms: UnsafeMutablePointer<S>? = nil, rows: Int, columns c: Int
    ) {
        for row in 0..<rows {
            var squares: S = 0
            for j in 0..<c { squares += x[row * c + j] * x[row * c + j] }
            let norm = max(squares.squareRoot(), S(1e-12))
            norms?[row] = norm
            for j in 0..<c { y[row * c + j] = x[row * c + j] / norm }
        }
    }

    /// The rows of a row-major matrix (`columns` wide), each scaled to unit length.
    public static func normalized<S: BinaryFloatingPoint>(_ x: [S], columns: Int) -> [S] {
        var result = x
        result.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            forward(base, into: base, rows: x.count / max(columns, 1), columns: columns)
        }
        return result
    }

    /// dx = (dy − y·(y·dy)) / ‖x‖ per row, from the forward pass's y and norms.
    public static func backward<S: BinaryFloatingPoint>(
        y: UnsafePointer<S>, norms: UnsafePointer<S>, dy: UnsafePointer<S>, dx: UnsafeMutablePointer<S>, rows: Int, columns c: Int
    ) {
        for row in 0..<rows {
            var dot: S = 0
            for j in 0..<c { dot += y[row * c + j] * dy[row * c + j] }
            for j in 0..<c { dx[row * c + j] = (dy[row * c + j] - y[row * c + j] * dot) / norms[row] }
        }
    }
}
