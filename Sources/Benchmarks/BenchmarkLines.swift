import Storage

/// The text the benchmarks run on: the lines of a file, or the texts of labelled corpora.
public enum BenchmarkLines {
    /// Every line of the file.
    public static func lines(of path: String) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        try LineReader(path: path).forEachLine { lines.append(Array($0)) }
        return lines
    }

    /// The texts (what follows the first tab) of label<TAB>text corpora, in order.
    public static func texts(ofCorpora paths: [String]) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for path in paths {
            try LineReader(path: path).forEachLine { line in
                if let tab = line.firstIndex(of: 0x09) { lines.append(Array(line[(tab + 1)...])) }
            }
        }
        return lines
    }
}
