import Embedding
import Foundation
import Tokenization
import Transformer

/// A static encoder (`EncoderConfig.isStatic`) made from a transformer, as model2vec makes its
/// models: every vocabulary entry is encoded alone by the teacher ([CLS] token [SEP], mean
/// pooled), those outputs are centred and projected onto their top principal directions, and
/// each row is scaled by the token's weight. A sentence is then the normalized mean of its
/// tokens' rows: what the teacher says of each word, without the teacher's cost per token.
///
/// The weight is SIF's a / (a + p), p the token's share of all tokens in a corpus, so a word
/// seen everywhere ("the", "##s") counts for little and a rare one for nearly 1; without a
/// corpus every token weighs 1. [CLS] and [SEP], in every sentence alike, get weight 0.
public enum StaticDistillation {
    /// SIF's smoothing constant (Arora et al. 2017 found 1e-3 to 1e-4 best).
    public static let smoothing = 1e-3

    public struct Result {
        public let model: SentenceEncoder
        /// Variance of the teacher's token outputs kept by the projection (0...1).
        public let explainedVariance: Double
    }

    /// The static model of width `dimension` distilled from `teacher`, inputs up to
    /// `maxPositions` tokens; `tokenCounts` (one per vocabulary entry) give the weights.
    /// `progress` hears how many tokens the teacher has encoded.
    public static func distill(
        from teacher: SentenceEncoder, dimension: Int, maxPositions: Int = 128, tokenCounts: [Int]?, path: String,
        progress: (Int) -> Void = { _ in }
    ) throws -> Result {
        let vocabulary = teacher.tokenizer.vocabulary.count
        let width = teacher.dimension
        guard (1...width).contains(dimension) else {
            throw EncoderError.invalidConfig("a static model of width \(dimension) from a teacher of width \(width): choose 1...\(width)")
        }
        if let tokenCounts, tokenCounts.count != vocabulary {
            throw EncoderError.invalidConfig("\(tokenCounts.count) token counts for a vocabulary of \(vocabulary)")
        }
        let outputs = try teacherOutputs(teacher, progress: progress)
        var mean = [Float](repeating: 0, count: width)
        for token in 0..<vocabulary { for j in 0..<width { mean[j] += outputs[token * width + j] / Float(vocabulary) } }
        let centred = (0..<vocabulary * width).map { outputs[$0] - mean[$0 % width] }
        let directions = centred.withUnsafeBufferPointer {
            EmbeddingTransfer.principalDirections($0.baseAddress!, rows: vocabulary, columns: width, count: dimension)
        }
        let config = EncoderConfig(
            layers: 0, hidden: dimension, heads: 1, intermediate: 1, maxPositions: maxPositions, vocabularySize: vocabulary)
        let encoder = try BertEncoder<Float>(config: config, parameters: Buffer<Float>(count: ParameterLayout(config: config).count))
        let weights = tokenWeights(counts: tokenCounts, tokenizer: teacher.tokenizer)
        let table = encoder.parameters.pointer + encoder.layout.wordEmbeddings
        var kept = 0.0, total = 0.0
        for token in 0..<vocabulary {
            for j in 0..<width { total += Double(centred[token * width + j] * centred[token * width + j]) }
            for k in 0..<dimension {
                var sum: Float = 0
                for j in 0..<width { sum += centred[token * width + j] * directions[k * width + j] }
                kept += Double(sum * sum)
                table[token * dimension + k] = sum * weights[token]
            }
        }
        // Unused by a static encoder's forward pass, but kept as BERT's identity for any reader.
        (encoder.parameters.pointer + encoder.layout.embeddingNormWeight).update(repeating: 1, count: dimension)
        encoder.parameters.markWritten()
        let model = try SentenceEncoder(tokenizer: teacher.tokenizer, encoder: encoder, maxLength: maxPositions, path: path)
        model.lexicon = teacher.lexicon
        return Result(model: model, explainedVariance: total > 0 ? kept / total : 0)
    }

    /// Each vocabulary entry's teacher output, [CLS] token [SEP] mean pooled, not normalized
    /// (V × teacher width).
    static func teacherOutputs(_ teacher: SentenceEncoder, progress: (Int) -> Void) throws -> [Float] {
        let tokenizer = teacher.tokenizer
        let sequences = (0..<tokenizer.vocabulary.count).map { [tokenizer.classifierID, Int32($0), tokenizer.separatorID] }
        var outputs: [Float] = []
        outputs.reserveCapacity(sequences.count * teacher.dimension)
        for start in stride(from: 0, to: sequences.count, by: 1024) {
            let batch = TokenBatch(sequences: Array(sequences[start..<min(start + 1024, sequences.count)]))
            outputs.append(contentsOf: try teacher.encoder.forward(batch, normalize: false))
            progress(min(start + 1024, sequences.count))
        }
        return outputs
    }

    /// SIF weights a / (a + p) from token counts (1 for every token without counts), 0 for
    /// [CLS] and [SEP].
    static func tokenWeights(counts: [Int]?, tokenizer: Tokenizer) -> [Float] {
        let vocabulary = tokenizer.vocabulary.count
        var weights = [Float](repeating: 1, count: vocabulary)
        if let counts {
            let total = Double(max(1, counts.reduce(0, +)))
            for token in 0..<vocabulary { weights[token] = Float(smoothing / (smoothing + Double(counts[token]) / total)) }
        }
        for special in [tokenizer.classifierID, tokenizer.separatorID] where Int(special) < vocabulary { weights[Int(special)] = 0 }
        return weights
    }
}
