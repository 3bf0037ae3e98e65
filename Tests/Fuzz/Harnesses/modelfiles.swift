import Embedding
import FewShot
import Transformer

/// Random bytes as a safetensors file, an encoder checkpoint and a classifier (.fsc): each is
/// loaded or refused with an error, never a crash; a classifier that loads can classify a line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFiles(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let path = FuzzInput.write(start, count)
    if let file = try? SafeTensors.File(path: path) {
        for name in file.tensors.keys { _ = file.bytes(of: name) }
    }
    _ = try? EncoderCheckpoint.load(path)
    if let classifier = try? FewShotClassifier.load(path) {
        _ = try? classifier.classify(lines: [Array("a line to classify".utf8), []])
    }
    return 0
}
