/// Grouped horizontal bars on a 0–1 scale: one group per category (a label), one bar per
/// series (precision, recall, F1), each bar with its value printed beside it.
public struct BarChart {
    public struct Series {
        public let name: String
        public let color: String
        public let values: [Double]
        public init(name: String, color: String, values: [Double]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    public let categories: [String]
    public let series: [Series]

    public init(categories: [String], series: [Series]) {
        precondition(series.allSatisfy { $0.values.count == categories.count })
        self.categories = categories
        self.series = series
    }

    public func svg() -> String {
        let bar = 11.0, gap = 8.0
        let group = bar * Double(series.count) + gap
        let left = Double(min(28, categories.map(\.count).max() ?? 1)) * 7 + 16
        let plot = 420.0
        let top = 30.0
        let height = top + group * Double(categories.count) + 30
        var svg = SVGElement.open(width: left + plot + 60, height: height, title: series.map(\.name).joined(separator: ", "))
        for (index, entry) in series.enumerated() {
            let x = left + Double(index) * 110
            svg += SVGElement.rect(x: x, y: 8, width: 12, height: 12, fill: entry.color)
            svg += SVGElement.text(entry.name, x: x + 16, y: 18, anchor: "start")
        }
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = left + plot * tick
            svg += SVGElement.line(x1: x, y1: top - 4, x2: x, y2: height - 26, stroke: "#ddd")
            svg += SVGElement.text(SVGNumber.tick(tick, step: 0.25), x: x, y: height - 10, anchor: "middle", size: 10)
        }
        for (row, category) in categories.enumerated() {
            let y0 = top + group * Double(row)
            svg += SVGElement.text(category, x: left - 6, y: y0 + group / 2 + 1, anchor: "end", limit: 28)
            for (index, entry) in series.enumerated() {
                let value = max(0, min(1, entry.values[row]))
                let y = y0 + bar * Double(index)
                svg += SVGElement.rect(
                    x: left, y: y, width: plot * value, height: bar - 1, fill: entry.color,
                    tooltip: "\(category) \(entry.name): \(SVGNumber.tick(value, step: 0.001))")
                svg += SVGElement.text(
                    SVGNumber.tick(value, step: 0.01), x: left + plot * value + 4, y: y + bar - 2, anchor: "start", size: 9)
            }
        }
        return svg + "</svg>"
    }
}
