/// The few SVG elements the figures are made of, each written with escaped text.
enum SVGElement {
    static func open(width: Double, height: Double, title: String) -> String {
        let (w, h) = (SVGNumber.coordinate(width), SVGNumber.coordinate(height))
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\">"
            + "<title>\(HTMLPage.escape(title))</title>\n"
    }

    /// Text at (x, y); longer than `limit` characters it is cut with an ellipsis and the whole
    /// text goes into a tooltip.
    static func text(
        _ text: String, x: Double, y: Double, anchor: String, size: Double = 12, rotate: Double? = nil, limit: Int = .max,
        fill: String = "#222"
    ) -> String {
        let shown = text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        let transform = rotate.map {
            " transform=\"rotate(\(SVGNumber.coordinate($0)) \(SVGNumber.coordinate(x)) \(SVGNumber.coordinate(y)))\""
        }
        let tooltip = shown == text ? "" : "<title>\(HTMLPage.escape(text))</title>"
        return "<text x=\"\(SVGNumber.coordinate(x))\" y=\"\(SVGNumber.coordinate(y))\" font-size=\"\(SVGNumber.coordinate(size))\" "
            + "text-anchor=\"\(anchor)\" style=\"fill:\(fill)\"\(transform ?? "")>\(tooltip)\(HTMLPage.escape(shown))</text>\n"
    }

    static func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String = "none", tooltip: String? = nil
    ) -> String {
        let title = tooltip.map { "<title>\(HTMLPage.escape($0))</title>" } ?? ""
        return "<rect x=\"\(SVGNumber.coordinate(x))\" y=\"\(SVGNumber.coordinate(y))\" width=\"\(SVGNumber.coordinate(max(0, width)))\" "
            + "height=\"\(SVGNumber.coordinate(max(0, height)))\" fill=\"\(fill)\" stroke=\"\(stroke)\">\(title)</rect>\n"
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: Bool = false) -> String {
        "<line x1=\"\(SVGNumber.coordinate(x1))\" y1=\"\(SVGNumber.coordinate(y1))\" x2=\"\(SVGNumber.coordinate(x2))\" "
            + "y2=\"\(SVGNumber.coordinate(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVGNumber.coordinate(width))\""
            + (dash ? " stroke-dasharray=\"4 3\"" : "") + "/>\n"
    }

    static func polyline(_ points: [(x: Double, y: Double)], stroke: String) -> String {
        let list = points.map { "\(SVGNumber.coordinate($0.x)),\(SVGNumber.coordinate($0.y))" }.joined(separator: " ")
        return "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>\n"
    }

    /// White blended towards `color` by `share` (0...1), as #rrggbb.
    static func shade(_ share: Double, of color: (Int, Int, Int)) -> String {
        let s = max(0, min(1, share))
        let mix = { (c: Int) in Int((255 - Double(255 - c) * s).rounded()) }
        return "#" + [mix(color.0), mix(color.1), mix(color.2)].map { String(format: "%02x", $0) }.joined()
    }
}
