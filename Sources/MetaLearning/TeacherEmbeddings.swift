import Corpus
import Embedding
import Foundation
import Storage
import Transformer

/// A teacher's normalized embeddings of the meta-train examples, computed once and cached in a
/// safetensors file beside the output, recomputed if the index or the teacher changed: the cache
/// is keyed by content (the index's checksum, the teacher's weights and vocabulary, its input
/// length and the examples asked for), so a corpus rebuilt to the same size, or a teacher file
/// replaced at the same path, never reuses stale embeddings.
public enum TeacherEmbeddings {
    /// The teacher's normalized embedding of each example, `dimension` values each.
    public struct Table: Sendable {
        public let embeddings: [Int: [Float]]
        public let dimension: Int
    }

    /// The cache file, or nil when there is none or it cannot be read (damaged, or from an older
    /// fewshot): then it is computed again and written over, which `progress` hears.
    static func cachedFile(_ cache: String, progress: (String) -> Void) throws -> SafeTensors.File? {
        guard FileManager.default.fileExists(atPath: cache) else { return nil }
        do {
            return try SafeTensors.File(path: cache)
        } catch {
            progress("teacher: the cache \(cache) cannot be used (\(error)); computing the embeddings again")
            return nil
        }
    }

    public static func load(
        teacher: SentenceEncoder, index: CorpusIndex, examples: [Int], cache: String, progress: (String) -> Void
    ) throws -> Table {
        let key = cacheKey(teacher: teacher, index: index, examples: examples)
        let d = teacher.dimension
        if let file = try cachedFile(cache, progress: progress), file.metadata["fewshot.teacher.key"] == key,
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

    /// What the cached embeddings depend on, as one string.
    static func cacheKey(teacher: SentenceEncoder, index: CorpusIndex, examples: [Int]) -> String {
        let weights = teacher.encoder.parameters
        let weightsChecksum = Checksum.of(UnsafeRawBufferPointer(start: weights.pointer, count: weights.count * MemoryLayout<Float>.stride))
        let exampleChecksum = examples.map(Int64.init).withUnsafeBytes { Checksum.of($0) }
        return [
            "index \(String(index.checksum, radix: 16))", "examples \(String(exampleChecksum, radix: 16))",
            "teacher \(String(weightsChecksum, radix: 16))", "vocabulary \(teacher.tokenizer.vocabulary.fingerprint)",
            "max length \(teacher.maxLength)",
        ].joined(separator: ", ")
    }

    static func rows(_ values: [Float], _ examples: [Int], _ d: Int) -> [Int: [Float]] {
        var result: [Int: [Float]] = [:]
        for (row, example) in examples.enumerated() { result[example] = Array(values[row * d..<(row + 1) * d]) }
        return result
    }
}
