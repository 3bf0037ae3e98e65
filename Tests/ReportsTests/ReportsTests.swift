import Foundation
import Testing

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The figures of the HTML reports: well-formed SVG, every name shown and escaped, values placed
/// where they belong. (The CLI tests render whole pages in a real browser.)
@Suite struct ReportsTests {
    /// The SVG parses as XML: what a browser needs to draw it at all.
    static func expectWellFormed(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    }

    @Test func markupInNamesIsEscaped() {
        #expect(HTMLPage.escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;")
        #expect(HTMLPage.escape("a\u{1}b") == "a\u{FFFD}b")
        let map = HeatMap(rowLabels: ["<script>", "a&b"], columnLabels: ["<script>", "a&b"], counts: [[3, 1], [0, 2]])
        let svg = map.svg()
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;") && svg.contains("a&amp;b"))
        Self.expectWellFormed(svg)
    }

    @Test func heatMapShadesCellsByTheirShareOfTheRowAndPrintsCounts() {
        let svg = HeatMap(rowLabels: ["sport", "music"], columnLabels: ["sport", "music", "(no text)"], counts: [[4, 0, 0], [1, 3, 0]])
            .svg()
        Self.expectWellFormed(svg)
        // sport → sport is the whole row: the full diagonal colour; music → sport a quarter of its row, light red.
        #expect(svg.contains("fill=\"#2166ac\" stroke=\"#ddd\"><title>sport → sport: 4</title>"))
        #expect(svg.contains("<title>music → sport: 1</title>"))
        #expect(svg.contains("fill=\"#ffffff\" stroke=\"#ddd\"><title>sport → music: 0</title>"))
        for label in ["sport", "music", "(no text)"] { #expect(svg.contains(">\(label)</text>")) }
    }

    @Test func longNamesAreCutButKeptWholeInATooltip() {
        let long = String(repeating: "x", count: 40)
        let svg = BarChart(categories: [long], series: [.init(name: "F1", color: "#000", values: [0.5])]).svg()
        Self.expectWellFormed(svg)
        #expect(svg.contains("<title>\(long)</title>"))
        #expect(svg.contains(String(repeating: "x", count: 27) + "…"))
    }

    @Test func barLengthsAreProportionalToTheValues() {
        let svg = BarChart(categories: ["a", "b"], series: [.init(name: "recall", color: "#111", values: [1, 0.25])]).svg()
        Self.expectWellFormed(svg)
        #expect(svg.contains("width=\"420.00\" height=\"10.00\" fill=\"#111\""))
        #expect(svg.contains("width=\"105.00\" height=\"10.00\" fill=\"#111\""))
    }

    @Test func lineChartLeavesOutPointsThatAreNotFinite() {
        let series = LineChart.Series(name: "loss", color: "#000", points: [(0, 1), (1, .nan), (2, .infinity), (3, 0.5)])
        #expect(series.points.count == 2)
        let svg = LineChart(title: "t", xLabel: "step", series: [series]).svg()
        Self.expectWellFormed(svg)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        // The first point sits at the left axis, the last at the right end.
        #expect(svg.contains("points=\"64.00,"))
        #expect(svg.contains(" 740.00,"))
    }

    @Test func ticksAreRoundAndCoverTheRange() {
        let (values, step) = SVGNumber.ticks(0...1)
        #expect(step == 0.2 && values.count == 6 && values.first == 0 && abs(values.last! - 1) < 1e-9)
        #expect(SVGNumber.ticks(0...3000).step == 1000)
        #expect(SVGNumber.tick(0.0003, step: 0.0001) == "0.0003")
        #expect(SVGNumber.tick(0.75, step: 0.25) == "0.75" && SVGNumber.tick(0.4, step: 0.2) == "0.4")
        #expect(SVGNumber.tick(3000, step: 1000) == "3000")
        #expect(SVGNumber.ticks(5...5).values == [5])
        // Learning rates of 1e-6: ticks that tell each other apart, not all "0".
        let small = SVGNumber.ticks(1e-6...3e-6)
        let labels = small.values.map { SVGNumber.tick($0, step: small.step) }
        #expect(Set(labels).count == labels.count && labels.contains("1.5e-06") && labels.contains("3.0e-06"), "\(labels)")
    }

    /// A constant series (one learning rate throughout) is drawn on an axis around its value,
    /// with tick labels of that scale.
    @Test func aConstantSeriesGetsAnAxisOnItsOwnScale() {
        let series = LineChart.Series(name: "lr", color: "#000", points: [(1, 0.001), (2, 0.001)])
        let svg = LineChart(title: "t", xLabel: "step", series: [series]).svg()
        Self.expectWellFormed(svg)
        #expect(svg.contains(">0.0010<") && !svg.contains(">-0.4<"), "\(svg)")
    }

    @Test func reliabilityDiagramDrawsOnlyBinsWithPredictions() {
        let bins = [
            ReliabilityDiagram.Bin(lower: 0.5, upper: 0.6, count: 10, accuracy: 0.5, confidence: 0.55),
            ReliabilityDiagram.Bin(lower: 0.6, upper: 0.7, count: 0, accuracy: 0, confidence: 0),
        ]
        let svg = ReliabilityDiagram(bins: bins).svg()
        Self.expectWellFormed(svg)
        #expect(svg.components(separatedBy: "fill=\"#4a7ab5\"").count == 2)
        #expect(svg.contains("10 predictions, 0.50 right"))
    }

    @Test func aPageIsSelfContained() {
        var page = HTMLPage(title: "scores <1>")
        page.section("Per label", note: "bars", BarChart(categories: ["a"], series: [.init(name: "F1", color: "#000", values: [1])]).svg())
        let html = page.render()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<title>scores &lt;1&gt;</title>"))
        for fetched in ["<script", "src=", "href=", "@import", "url("] { #expect(!html.contains(fetched)) }
    }
}
