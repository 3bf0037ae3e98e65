import Corpus
import Embedding
import Foundation
import Storage
import Transformer

/// A teacher's normalized embeddings of the meta-train examples, computed once and cached in a
/// safetensors file beside the output (recomputed if the index or the teacher changed).
public enum TeacherEmbeddings {
    /// The teacher's normalized embedding of each example, `dimension` values each.
    public struct Table: Sendable {
        public let embeddings: [Int: [Float]]
        public let dimension: Int
    }

    public static func load(
        teacher: SentenceEncoder, index: CorpusIndex, examples: [Int], cache: String, progress: (String) -> Void
    ) throws -> Table {
        let key = "\(index.vocabularyFingerprint)-\(index.exampleCount)-\(examples.count)-\(teacher.path)"
        let d = teacher.dimension
        if let file = try? SafeTensors.File(path: cache), file.metadata["fewshot.teacher.key"] == key,
            let info = file.tensors["embeddings"],
            info.count == examples.count * d
        {
            var values = [Float](repeating: 0, count: info.count)
            try file.read("embeddings", into: &values)
            progress("teacher: \(examples.count) cached embeddings from \(cache)")
            return Table(embeddings: rows(values, examples, d), dimension: d)
        }
        var values: [Float] = []
        values.reserveCapacity(examples.count * d)
        let chunk = 2048
        let start = Date()
        for first in stride(from: 0, to: examples.count, by: chunk) {
            let part = Array(examples[first..<min(first + chunk, examples.count)])
            values += try teacher.embed(tokenized: ExampleTokens.ids(of: part, in: index, for: teacher))
            let done = min(first + chunk, examples.count)
            let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-9)
            progress(String(format: "teacher: embedded %d / %d texts (%.0f/s)", done, examples.count, rate))
        }
        try values.withUnsafeBufferPointer { buffer in
            try SafeTensors.write(
                [SafeTensors.Output(name: "embeddings", shape: [examples.count, d], values: buffer)],
                metadata: ["fewshot.teacher.key": key], to: cache)
        }
        return Table(embeddings: rows(values, examples, d), dimension: d)
    }

    static func rows(_ values: [Float], _ examples: [Int], _ d: Int) -> [Int: [Float]] {
        var result: [Int: [Float]] = [:]
        for (row, example) in examples.enumerated() { result[example] = Array(values[row * d..<(row + 1) * d]) }
        return result
    }
}
