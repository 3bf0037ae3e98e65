import Foundation
import Storage
import Testing

@testable import Transformer

@Suite struct CheckpointTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString)-\(name)").path
    }

    static func model() throws -> BertEncoder<Float> {
        let encoder = try BertEncoder<Float>(config: .tiny)
        encoder.initializeLikeBERT(seed: 3)
        return encoder
    }

    static let metadata = EncoderCheckpoint.Metadata(
        vocabularyFingerprint: "0123456789abcdef", vocabularyText: "[PAD]\n[UNK]\n", extra: ["step": "42"])

    @Test func roundTripInF32IsExactAndF16IsClose() throws {
        let encoder = try Self.model()
        let extra = Buffer<Float>(count: 5)
        for index in 0..<5 { extra[index] = Float(index) * 0.5 }
        let path = Self.temporaryPath("f32.safetensors")
        try EncoderCheckpoint.save(encoder, metadata: Self.metadata, to: path, extraTensors: [("optimizer.m", extra)])
        let (loaded, metadata, file) = try EncoderCheckpoint.load(path)
        #expect(loaded.config == encoder.config)
        #expect(loaded.parameters.array == encoder.parameters.array)
        #expect(metadata.extra["step"] == "42")
        #expect(metadata.vocabularyFingerprint == "0123456789abcdef")
        var values = [Float](repeating: 0, count: 5)
        try file.read("optimizer.m", into: &values)
        #expect(values == [0, 0.5, 1, 1.5, 2])

        let half = Self.temporaryPath("f16.safetensors")
        try EncoderCheckpoint.save(encoder, metadata: Self.metadata, to: half, dtype: .f16)
        let (loadedHalf, _, halfFile) = try EncoderCheckpoint.load(half)
        #expect(halfFile.tensors["embeddings.word_embeddings.weight"]?.dtype == .f16)
        for (a, b) in zip(loadedHalf.parameters.array, encoder.parameters.array) { #expect(abs(a - b) <= abs(b) * 1e-3 + 1e-6) }
    }

    /// Tensors read the same whether their data is aligned to their element (typed, vectorized
    /// loads) or not (element by element): a file whose F32 and F16 tensors start at odd offsets.
    @Test func misalignedTensorsReadLikeAlignedOnes() throws {
        let floats: [Float] = [1.5, -2.25, 3e-3, 65504, -0.0]
        let halves: [Float] = [0.5, -1, 2048, 6.1035156e-05, 3]
        func file(padding: Int) throws -> SafeTensors.File {
            var data = Data(repeating: 0, count: padding)
            let floatStart = data.count
            for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            let halfStart = data.count
            for value in halves { withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            var header = Array(
                """
                {"a":{"dtype":"F32","shape":[5],"data_offsets":[\(floatStart),\(halfStart)]},\
                "h":{"dtype":"F16","shape":[5],"data_offsets":[\(halfStart),\(data.count)]}}
                """.utf8)
            while header.count % 8 != 0 { header.append(0x20) }
            var bytes = Data()
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: header)
            bytes.append(data)
            let path = Self.temporaryPath("aligned-\(padding).safetensors")
            try bytes.write(to: URL(fileURLWithPath: path))
            return try SafeTensors.File(path: path)
        }
        for padding in [0, 1, 2, 3] {
            let file = try file(padding: padding)
            var a = [Float](repeating: 9, count: 5), h = [Float](repeating: 9, count: 5)
            try file.read("a", into: &a)
            try file.read("h", into: &h)
            #expect(a.map(\.bitPattern) == floats.map(\.bitPattern), "padding \(padding)")
            #expect(h == halves, "padding \(padding)")
        }
    }

    @Test func damagedFilesAreRefusedWithTheirName() throws {
        let path = Self.temporaryPath("good.safetensors")
        try EncoderCheckpoint.save(try Self.model(), metadata: Self.metadata, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        func refused(_ bytes: Data) throws -> String? {
            let damaged = Self.temporaryPath("damaged.safetensors")
            try bytes.write(to: URL(fileURLWithPath: damaged))
            do {
                _ = try EncoderCheckpoint.load(damaged)
                return nil
            } catch {
                #expect("\(error)".contains(damaged), "\(error)")
                return "\(error)"
            }
        }
        var flipped = original
        flipped[original.count - 10] ^= 0x10
        #expect(try refused(flipped)?.contains("checksum") == true)
        #expect(try refused(original.prefix(original.count - 100)) != nil)
        #expect(try refused(original.prefix(4)) != nil)
        var header = original
        header[9] = 0x7D  // breaks the JSON
        #expect(try refused(header) != nil)
        #expect(try refused(Data(repeating: 0xFF, count: 64)) != nil)
    }

    @Test func missingOrMisshapenTensorsAreReported() throws {
        let path = Self.temporaryPath("wrong.safetensors")
        let values = [Float](repeating: 1, count: 4)
        try values.withUnsafeBufferPointer { buffer in
            try SafeTensors.write(
                [SafeTensors.Output(name: "embeddings.word_embeddings.weight", shape: [2, 2], values: buffer)], metadata: [:], to: path)
        }
        let file = try SafeTensors.File(path: path)
        #expect(throws: EncoderError.self) { try EncoderCheckpoint.loadParameters(from: file, into: try Self.model()) }
        #expect(throws: StorageError.self) { try EncoderCheckpoint.load(path) }
    }
}
