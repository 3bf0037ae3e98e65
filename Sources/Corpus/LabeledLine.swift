import Foundation

/// One line of a `label<TAB>text` corpus, parsed without copying: the label is everything
/// before the first tab without the spaces around it ("sport " is "sport"), the text
/// everything after (a trailing CR is dropped).
public enum LabeledLine {
    public enum Problem: String, Sendable {
        case noTab = "no tab (expected label<TAB>text)"
        case emptyLabel = "empty label"
        case controlInLabel = "a control character in the label"
        case emptyText = "empty text"
        case notLabelledYet = "label '?': not labelled yet (a line of 'fewshot suggest' to fill in)"
    }

    public enum Parsed {
        case example(label: Range<Int>, text: Range<Int>)
        case unusable(Problem)
    }

    public static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Parsed {
        guard let tab = line.firstIndex(of: 0x09) else { return .unusable(.noTab) }
        var labelStart = 0
        var labelEnd = tab
        while labelStart < labelEnd && line[labelStart] == 0x20 { labelStart += 1 }
        while labelEnd > labelStart && line[labelEnd - 1] == 0x20 { labelEnd -= 1 }
        guard labelStart < labelEnd else { return .unusable(.emptyLabel) }
        guard !line[labelStart..<labelEnd].contains(where: isControl) else { return .unusable(.controlInLabel) }
        var end = line.count
        if end > tab + 1 && line[end - 1] == 0x0D { end -= 1 }
        let text = tab + 1..<end
        guard hasText(line[text]) else { return .unusable(.emptyText) }
        return .example(label: labelStart..<labelEnd, text: text)
    }

    /// A label field of the other label files (split files, label names) under the same rule as
    /// `parse`: without the spaces around it.
    public static func label(_ field: some StringProtocol) -> String {
        String(field).trimmingCharacters(in: CharacterSet(charactersIn: " "))
    }

    /// The bytes no label may hold: ASCII control characters (UTF-8 never uses them inside a
    /// longer character, so checking bytes checks characters).
    public static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    /// Whether bytes hold anything but spaces, tabs and carriage returns.
    public static func hasText(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
    }
}
