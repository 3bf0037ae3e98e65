import Foundation

/// One self-contained HTML page: inline CSS and inline SVG figures, nothing fetched from
/// anywhere (no scripts, fonts or images), so a report can be mailed, archived or opened offline.
public struct HTMLPage {
    public let title: String
    private var body: [String] = []

    public init(title: String) { self.title = title }

    /// A heading, an optional paragraph, then the figure or table (already-built HTML or SVG).
    public mutating func section(_ heading: String, note: String? = nil, _ content: String) {
        var html = "<section><h2>\(Self.escape(heading))</h2>\n"
        if let note { html += "<p>\(Self.escape(note))</p>\n" }
        body.append(html + content + "\n</section>")
    }

    /// A paragraph of plain text.
    public mutating func paragraph(_ text: String) { body.append("<p>\(Self.escape(text))</p>") }

    public func render() -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        svg text { font-family: sans-serif; fill: #222; }
        table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        </style></head><body>
        <h1>\(Self.escape(title))</h1>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    /// Text made safe inside HTML or SVG elements and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters are not allowed in XML (SVG) text; show them as U+FFFD.
            case _ where character.value < 0x20 && character != "\t" && character != "\n": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
