/// Adds the sum of a matrix's rows to a vector: the bias gradient of a dense layer,
/// db += Σ_rows dOut. Lanes run across columns and each column adds its rows in order, so the
/// result is the plain loop's to the bit (`Reference.addColumnSums`), eight columns at a time.
/// Shapes (`ShapeLegend`): x: rows × columns (N×C or N×F in the encoder), sums: columns.
public enum ColumnSums {
    public static func add(_ x: UnsafePointer<Float>, rows: Int, columns: Int, to sums: UnsafeMutablePointer<Float>) {
        let vectorEnd = columns / vectorWidth * vectorWidth
        var j = 0
        while j < vectorEnd {
            var sum = load(sums + j)
            for row in 0..<rows { sum += load(x + row * columns + j) }
            store(sum, sums + j)
            j += vectorWidth
        }
        while j < columns {
            var sum = sums[j]
            for row in 0..<rows { sum += x[row * columns + j] }
            sums[j] = sum
            j += 1
        }
    }
}
