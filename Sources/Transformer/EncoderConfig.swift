/// The shape of a BERT encoder. One struct, named presets instead of code edits.
public struct EncoderConfig: Codable, Equatable, Sendable {
    /// Transformer layers (post-LayerNorm, as BERT). 0 makes a static encoder (`isStatic`).
    public var layers: Int
    /// Width of every token vector (C). Must be a multiple of `heads`.
    public var hidden: Int
    /// Attention heads; each attends over hidden / heads dimensions.
    public var heads: Int
    /// Width of the feed-forward layer inside each transformer layer (F).
    public var intermediate: Int
    /// Learned absolute positions: the longest input, [CLS] and [SEP] included.
    public var maxPositions: Int
    /// WordPiece vocabulary size (V).
    public var vocabularySize: Int
    /// Token-type (segment) embeddings; BERT has 2, we always use type 0.
    public var typeVocabularySize: Int
    /// LayerNorm epsilon: BERT's 1e-12.
    public var layerNormEpsilon: Double

    public init(
        layers: Int, hidden: Int, heads: Int, intermediate: Int, maxPositions: Int, vocabularySize: Int, typeVocabularySize: Int = 2,
        layerNormEpsilon: Double = 1e-12
    ) {
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.intermediate = intermediate
        self.maxPositions = maxPositions
        self.vocabularySize = vocabularySize
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    public var headSize: Int { hidden / heads }

    /// A 0-layer encoder: a sentence is the normalized mean of its tokens' word + position +
    /// type vectors, with no LayerNorm over them, so each token's weight lives in the length of
    /// its vector (a frequent word's short vector counts less) and training can learn it. Heads
    /// and the FFN width are unused.
    public var isStatic: Bool { layers == 0 }

    /// The default for meta-training on 2 cores: 2 layers of width 128, 4 heads, FFN 512
    /// (measured in ../shared/feasibility.md as the best size for a 30-minute budget), with
    /// positions for inputs of up to 128 tokens.
    public static func small(vocabularySize: Int) -> EncoderConfig {
        EncoderConfig(layers: 2, hidden: 128, heads: 4, intermediate: 512, maxPositions: 128, vocabularySize: vocabularySize)
    }

    /// all-MiniLM-L6-v2's shape.
    public static let minilmL6 = EncoderConfig(
        layers: 6, hidden: 384, heads: 12, intermediate: 1536, maxPositions: 512, vocabularySize: 30522)

    /// A tiny shape for gradient checks.
    public static let tiny = EncoderConfig(layers: 2, hidden: 8, heads: 2, intermediate: 12, maxPositions: 12, vocabularySize: 17)

    /// The tiny shape with no layers: a static encoder, for its gradient checks.
    public static let tinyStatic = EncoderConfig(layers: 0, hidden: 8, heads: 2, intermediate: 12, maxPositions: 12, vocabularySize: 17)

    /// A named shape, or `LxH` (L layers of width H, heads of 32 up to width 128 and of 64
    /// above, FFN 4·H, 128 positions) for trying other student sizes without code edits;
    /// `0xH` is a static encoder of width H.
    public static func preset(_ name: String, vocabularySize: Int) -> EncoderConfig? {
        switch name {
        case "small": return .small(vocabularySize: vocabularySize)
        case "minilm-l6": return .minilmL6
        case "tiny": return .tiny
        default:
            let parts = name.split(separator: "x")
            guard parts.count == 2, let layers = Int(parts[0]), let hidden = Int(parts[1]), (0...48).contains(layers),
                (16...4096).contains(hidden),
                hidden % 16 == 0
            else { return nil }
            let headSize = hidden <= 128 ? 32 : 64
            return EncoderConfig(
                layers: layers, hidden: hidden, heads: max(1, hidden / headSize), intermediate: 4 * hidden, maxPositions: 128,
                vocabularySize: vocabularySize)
        }
    }

    /// Problems with this shape, for users who wrote their own.
    /// Also what a damaged file's header is checked against before anything is allocated: the
    /// upper bounds keep every tensor's element count far from overflowing an `Int`.
    public func validate() throws {
        guard layers >= 0, hidden >= 1, heads >= 1, intermediate >= 1, maxPositions >= 2, vocabularySize >= 1, typeVocabularySize >= 1
        else { throw EncoderError.invalidConfig("every size must be positive (layers may be 0): \(self)") }
        guard layers <= 1024, hidden <= 65_536, heads <= hidden, intermediate <= 1 << 20, maxPositions <= 1 << 20,
            vocabularySize <= 1 << 24, typeVocabularySize <= 1 << 16
        else { throw EncoderError.invalidConfig("a size is beyond any encoder this program runs: \(self)") }
        guard hidden % heads == 0 else { throw EncoderError.invalidConfig("hidden \(hidden) is not a multiple of heads \(heads)") }
        guard layerNormEpsilon.isFinite, layerNormEpsilon > 0, layerNormEpsilon < 1 else {
            throw EncoderError.invalidConfig("the LayerNorm epsilon \(layerNormEpsilon) is not in (0, 1)")
        }
    }
}
