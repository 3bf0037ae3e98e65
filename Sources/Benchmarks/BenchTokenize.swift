import Dispatch
import Foundation
import Tokenization

/// `fewshot bench tokenize`: the tokenizer alone on one thread, in MB/s and tokens/s.
public enum BenchTokenize {
    public static func run(runs: Int, tokenizer: Tokenizer, lines: [[UInt8]], print: (String) -> Void) throws {
        let textBytes = lines.reduce(0) { $0 + $1.count }
        guard textBytes > 0 else { throw BenchmarkError("the input has no text to tokenize") }
        // Each timed run covers at least 20 MB (repeating the text) so timer noise stays small.
        let passes = (20_000_000 + textBytes - 1) / textBytes
        let bytes = textBytes * passes
        var ids: [Int32] = []
        var scratch = Tokenizer.Scratch()
        var seconds: [Double] = []
        var tokens = 0
        for run in 0...runs {
            var count = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<passes {
                for line in lines {
                    line.withUnsafeBufferPointer {
                        tokenizer.encode($0, addSpecialTokens: false, into: &ids, scratch: &scratch)
                    }
                    count += ids.count
                }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if run > 0 { seconds.append(elapsed) }
            tokens = count
        }
        let median = seconds.sorted()[seconds.count / 2]
        print(
            "bench tokenize: \(lines.count) lines, \(String(format: "%.1f", Double(textBytes) / 1e6)) MB, "
                + "\(tokens / passes) tokens (each run: \(passes) passes), vocab \(tokenizer.vocabulary.count), 1 thread"
        )
        print("| runs | median s | MB/s | M tokens/s | all runs (s) |")
        print("|---|---|---|---|---|")
        let all = seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")
        print(
            String(
                format: "| %d | %.3f | %.2f | %.3f | %@ |", runs, median, Double(bytes) / 1e6 / median, Double(tokens) / 1e6 / median, all))
    }

}
