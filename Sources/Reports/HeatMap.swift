/// A confusion matrix as an SVG heat map: one row per true label, one column per predicted
/// label, each cell shaded by its share of the row (so a small label's errors show as clearly
/// as a large one's) and printed with its count. Full names are in each label's tooltip.
public struct HeatMap {
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let counts: [[Int]]

    public init(rowLabels: [String], columnLabels: [String], counts: [[Int]]) {
        precondition(counts.count == rowLabels.count && counts.allSatisfy { $0.count == columnLabels.count })
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.counts = counts
    }

    public func svg() -> String {
        let cell = rowLabels.count > 30 ? 16.0 : 32.0
        let labelWidth = Double(min(28, (rowLabels + columnLabels).map(\.count).max() ?? 1)) * 7 + 12
        let (left, top) = (labelWidth + 20, labelWidth + 10)
        let width = left + cell * Double(columnLabels.count) + 20
        let height = top + cell * Double(rowLabels.count) + 40
        var svg = SVGElement.open(width: width, height: height, title: "confusion matrix")
        for (column, label) in columnLabels.enumerated() {
            let x = left + cell * (Double(column) + 0.6)
            svg += SVGElement.text(
                label, x: x, y: top - 6, anchor: "start", rotate: -60, limit: 28)
        }
        for (row, label) in rowLabels.enumerated() {
            let y = top + cell * (Double(row) + 0.65)
            svg += SVGElement.text(label, x: left - 6, y: y, anchor: "end", limit: 28)
            let total = max(1, counts[row].reduce(0, +))
            for column in columnLabels.indices {
                let share = Double(counts[row][column]) / Double(total)
                let x = left + cell * Double(column), y0 = top + cell * Double(row)
                // Correct predictions in blue, errors in red; white when empty.
                let color = row == column ? SVGElement.shade(share, of: (33, 102, 172)) : SVGElement.shade(share, of: (178, 24, 43))
                svg += SVGElement.rect(
                    x: x, y: y0, width: cell, height: cell, fill: color, stroke: "#ddd",
                    tooltip: "\(label) → \(columnLabels[column]): \(counts[row][column])")
                if counts[row][column] > 0 && cell >= 24 {
                    svg += SVGElement.text(
                        String(counts[row][column]), x: x + cell / 2, y: y0 + cell * 0.62, anchor: "middle", size: 11,
                        fill: share > 0.5 ? "#fff" : "#222")
                }
            }
        }
        svg += SVGElement.text("predicted →", x: left, y: height - 12, anchor: "start", size: 12)
        return svg + "</svg>"
    }
}
