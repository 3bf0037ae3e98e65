/// The reliability diagram of calibrated probabilities: per confidence bin, the fraction of
/// predictions that were right (bars) against the diagonal where confidence equals accuracy;
/// bars below it mean overconfidence. Bin counts are printed under the bars.
public struct ReliabilityDiagram {
    public struct Bin {
        public let lower: Double
        public let upper: Double
        public let count: Int
        public let accuracy: Double
        public let confidence: Double
        public init(lower: Double, upper: Double, count: Int, accuracy: Double, confidence: Double) {
            self.lower = lower
            self.upper = upper
            self.count = count
            self.accuracy = accuracy
            self.confidence = confidence
        }
    }

    public let bins: [Bin]

    public init(bins: [Bin]) { self.bins = bins }

    public func svg() -> String {
        let (size, left, top, bottom) = (320.0, 50.0, 20.0, 56.0)
        let x = { (p: Double) in left + p * size }
        let y = { (p: Double) in top + (1 - p) * size }
        var svg = SVGElement.open(width: left + size + 30, height: top + size + bottom, title: "reliability diagram")
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += SVGElement.line(x1: x(0), y1: y(tick), x2: x(1), y2: y(tick), stroke: "#e5e5e5")
            svg += SVGElement.text(SVGNumber.tick(tick, step: 0.25), x: x(0) - 6, y: y(tick) + 4, anchor: "end", size: 10)
            svg += SVGElement.text(SVGNumber.tick(tick, step: 0.25), x: x(tick), y: y(0) + 14, anchor: "middle", size: 10)
        }
        for bin in bins where bin.count > 0 {
            svg += SVGElement.rect(
                x: x(bin.lower) + 1, y: y(bin.accuracy), width: (bin.upper - bin.lower) * size - 2, height: bin.accuracy * size,
                fill: "#4a7ab5",
                tooltip: "confidence \(SVGNumber.tick(bin.confidence, step: 0.01)): \(bin.count) predictions, "
                    + "\(SVGNumber.tick(bin.accuracy, step: 0.01)) right")
            svg += SVGElement.text(String(bin.count), x: x((bin.lower + bin.upper) / 2), y: y(0) + 28, anchor: "middle", size: 9)
        }
        svg += SVGElement.line(x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: "#b2182b", dash: true)
        svg += SVGElement.text("confidence (predictions per bin below)", x: x(0.5), y: y(0) + 46, anchor: "middle", size: 11)
        svg += SVGElement.text("accuracy", x: 14, y: y(0.5), anchor: "middle", size: 11, rotate: -90)
        return svg + "</svg>"
    }
}
