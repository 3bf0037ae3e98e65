import Foundation

/// Lines against a shared x axis (training step), with axes, round ticks and a legend. Points
/// that are not finite are left out rather than drawn at zero.
public struct LineChart {
    public struct Series {
        public let name: String
        public let color: String
        public let points: [(x: Double, y: Double)]
        public init(name: String, color: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.color = color
            self.points = points.filter { $0.x.isFinite && $0.y.isFinite }
        }
    }

    public let title: String
    public let xLabel: String
    public let series: [Series]
    /// A fixed y range (0...1 for accuracies), or nil to fit the data.
    public let yRange: ClosedRange<Double>?

    public init(title: String, xLabel: String, series: [Series], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
        self.yRange = yRange
    }

    public func svg() -> String {
        let (width, height) = (760.0, 300.0)
        let (left, right, top, bottom) = (64.0, 20.0, 34.0, 44.0)
        let points = series.flatMap(\.points)
        let xs = points.map(\.x), ys = points.map(\.y)
        let xRange = (xs.min() ?? 0)...max((xs.max() ?? 1), (xs.min() ?? 0) + 1)
        var yFit = yRange ?? ((ys.min() ?? 0)...(ys.max() ?? 1))
        // One value (a constant learning rate): a range around it on its own scale, not ±0.5.
        if yFit.upperBound - yFit.lowerBound <= 0 {
            let pad = yFit.lowerBound == 0 ? 0.5 : abs(yFit.lowerBound) / 2
            yFit = (yFit.lowerBound - pad)...(yFit.upperBound + pad)
        }
        let px = { (x: Double) in left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right) }
        let py = { (y: Double) in
            height - bottom - (y - yFit.lowerBound) / (yFit.upperBound - yFit.lowerBound) * (height - top - bottom)
        }
        var svg = SVGElement.open(width: width, height: height, title: title)
        let yTicks = SVGNumber.ticks(yFit)
        for tick in yTicks.values {
            svg += SVGElement.line(x1: left, y1: py(tick), x2: width - right, y2: py(tick), stroke: "#e5e5e5")
            svg += SVGElement.text(SVGNumber.tick(tick, step: yTicks.step), x: left - 6, y: py(tick) + 4, anchor: "end", size: 10)
        }
        let xTicks = SVGNumber.ticks(xRange)
        for tick in xTicks.values {
            svg += SVGElement.text(
                SVGNumber.tick(tick, step: xTicks.step), x: px(tick), y: height - bottom + 16, anchor: "middle", size: 10)
        }
        svg += SVGElement.line(x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "#888")
        svg += SVGElement.line(x1: left, y1: top, x2: left, y2: height - bottom, stroke: "#888")
        svg += SVGElement.text(xLabel, x: (left + width - right) / 2, y: height - 8, anchor: "middle", size: 11)
        for (index, entry) in series.enumerated() {
            let x = left + Double(index) * 170
            svg += SVGElement.line(x1: x, y1: 16, x2: x + 18, y2: 16, stroke: entry.color, width: 2)
            svg += SVGElement.text(entry.name, x: x + 22, y: 20, anchor: "start")
            svg += SVGElement.polyline(entry.points.map { (px($0.x), py($0.y)) }, stroke: entry.color)
        }
        return svg + "</svg>"
    }
}
