import Foundation
import Storage
import TestSupport
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

    /// Headers a hostile or broken writer could make: each is refused as corrupted, none traps.
    @Test func implausibleHeadersAreRefusedWithoutTrapping() throws {
        func refusal(_ header: String, data: Int = 16) throws -> String? {
            var json = Array(header.utf8)
            while json.count % 8 != 0 { json.append(0x20) }
            var bytes = Data()
            withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: json)
            bytes.append(Data(repeating: 0, count: data))
            let path = Self.temporaryPath("hostile.safetensors")
            try bytes.write(to: URL(fileURLWithPath: path))
            do {
                _ = try SafeTensors.File(path: path)
                return nil
            } catch {
                return "\(error)"
            }
        }
        let huge = Int.max / 2
        #expect(try refusal(#"{"a":{"dtype":"U8","shape":[\#(huge),\#(huge)],"data_offsets":[0,16]}}"#)?.contains("inconsistent") == true)
        #expect(try refusal(#"{"a":{"dtype":"U8","shape":[-4,-4],"data_offsets":[0,16]}}"#)?.contains("inconsistent") == true)
        #expect(try refusal(#"{"a":{"dtype":"U8","shape":[2.5],"data_offsets":[0,16]}}"#)?.contains("no valid dtype") == true)
        #expect(try refusal(#"{"a":{"dtype":"U8","shape":[16],"data_offsets":[0,"16"]}}"#)?.contains("no valid dtype") == true)
        #expect(try refusal(#"{"__metadata__":{"k":1}}"#)?.contains("map of strings") == true)
        #expect(try refusal(#"{"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]},"a":{}}"#)?.contains("appears twice") == true)
        #expect(try refusal(#"[1,2]"#)?.contains("not a JSON object") == true)
        #expect(try refusal(String(repeating: "[", count: 50_000))?.contains("nesting") == true)
        #expect(try refusal(#"{"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]}}"#) == nil)
    }

    @Test func everyOneBitFlipInTheHeaderIsRefused() throws {
        let path = Self.temporaryPath("sealed.safetensors")
        try EncoderCheckpoint.save(try Self.model(), metadata: Self.metadata, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = Int(original.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let damaged = Self.temporaryPath("flipped.safetensors")
        var accepted: [Int] = []
        for offset in 8..<8 + length {
            var bytes = original
            bytes[offset] ^= UInt8(1 << (offset % 8))  // a different bit at each offset
            try bytes.write(to: URL(fileURLWithPath: damaged))
            if (try? EncoderCheckpoint.load(damaged)) != nil { accepted.append(offset) }
        }
        #expect(accepted.isEmpty, "header bytes whose flip still loads: \(accepted.prefix(10))")
    }

    @Test func aFileOfOursWithoutItsChecksumIsRefusedOthersAreNot() throws {
        let path = Self.temporaryPath("ours.safetensors")
        try EncoderCheckpoint.save(try Self.model(), metadata: Self.metadata, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        func written(metadata: [String: String]) throws -> String {
            var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length)) as! [String: Any]
            header["__metadata__"] = metadata
            var json = try JSONSerialization.data(withJSONObject: header)
            while json.count % 8 != 0 { json.append(0x20) }
            var bytes = Data()
            withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(json)
            bytes.append(data.suffix(from: 8 + length))
            let out = Self.temporaryPath("unsealed.safetensors")
            try bytes.write(to: URL(fileURLWithPath: out))
            return out
        }
        let unsealed = try written(metadata: ["format": "fewshot-encoder", "fewshot.version": "1", "fewshot.checksuM": "0"])
        #expect(throws: StorageError.corrupted(path: unsealed, detail: "a fewshot file without its checksum")) {
            try SafeTensors.File(path: unsealed)
        }
        let foreign = try written(metadata: ["format": "pt"])
        #expect(try SafeTensors.File(path: foreign).tensors.count == ParameterLayout(config: .tiny).tensors.count)
    }

    @Test func aDamagedConfigurationIsAnErrorBeforeAnythingIsAllocated() throws {
        let path = Self.temporaryPath("config.safetensors")
        try EncoderCheckpoint.save(try Self.model(), metadata: Self.metadata, to: path)
        let config = try EncoderCheckpoint.load(path).metadata
        #expect(config.extra["step"] == "42")
        let text = try SafeTensors.File(path: path).metadata["fewshot.config"]!
        for (field, value) in [
            ("layers", "-1"), ("layers", "99999"), ("vocabularySize", "999999999"), ("hidden", "0"),
            ("layerNormEpsilon", "1e300"), ("maxPositions", "9223372036854775807"),
        ] {
            var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            object[field] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
            let edited = try TestFiles.withMetadata(
                path, "fewshot.config", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
            do {
                _ = try EncoderCheckpoint.load(edited)
                Issue.record("\(field) \(value) loaded")
            } catch let error as EncoderError {
                #expect("\(error)".contains(edited), "\(field) \(value): \(error)")
            }
        }
    }

    @Test func missingOrMisshapenTensorsAreReported() throws {
        let path = Self.temporaryPath("wrong.safetensors")
        let values = [Float](repeating: 1, count: 4)
        try values.withUnsafeBufferPointer { buffer in
            try SafeTensors.write(
                [SafeTensors.Output(name: "embeddings.word_embeddings.weight", shape: [2, 2], values: buffer)], metadata: [:], to: path)
        }
        let file = try SafeTensors.File(path: path)
        #expect(throws: EncoderError.self) { try EncoderCheckpoint.encoder(config: .tiny, from: file) }
        #expect(throws: StorageError.self) { try EncoderCheckpoint.load(path) }
    }
}
