/// Learns a WordPiece vocabulary from text, the way HuggingFace's WordPiece trainer does:
/// byte-pair-encoding merges over pre-tokenized words, with `##` marking pieces that continue
/// a word.
///
/// 1. Every line is normalized and split exactly as the tokenizer will (`BertNormalizer`,
///    `BertPreTokenizer`); words are counted. Words over 100 scalars are skipped (they become
///    `[UNK]` whatever the vocabulary).
/// 2. The alphabet: each scalar as a word start ("a") and as a continuation ("##a"), each form
///    as it occurs in the text, the `limitAlphabet` most frequent scalars kept. Words with a
///    scalar outside it are skipped. Unlike HuggingFace's trainer, which also keeps the start
///    form of every scalar, a scalar seen only inside words has no start form, so a word that
///    begins with it becomes [UNK] (adding it would move every id of the shipped vocab.txt).
/// 3. Repeatedly merge the most frequent adjacent pair of symbols (weighted by word counts)
///    into a new token ("un" + "##able" -> "unable", "##ab" + "##le" -> "##able") until the
///    vocabulary holds `vocabularySize` tokens or no pair occurs `minFrequency` times.
///
/// The output is `[PAD] [UNK] [CLS] [SEP] [MASK]`, the alphabet in byte order, then the merged
/// tokens in merge order. Ties between equally frequent pairs go to the pair of earlier symbols
/// (alphabet in byte order, then merge order), so the result depends only on the input text
/// and the settings, never on hashing.
public struct WordPieceTrainer {
    public var vocabularySize: Int
    public var minFrequency: Int
    public var limitAlphabet: Int
    public var maxCharactersPerWord = 100

    private var wordCounts: [[UInt8]: Int] = [:]
    private var scratch: [UInt8] = []
    private var words: [Range<Int>] = []
    private let normalizer = BertNormalizer()
    private let preTokenizer = BertPreTokenizer()

    public init(vocabularySize: Int, minFrequency: Int = 2, limitAlphabet: Int = 1000) {
        self.vocabularySize = vocabularySize
        self.minFrequency = minFrequency
        self.limitAlphabet = limitAlphabet
    }

    /// The number of distinct words counted so far.
    public var distinctWords: Int { wordCounts.count }

    /// Counts the words of one line of UTF-8 text.
    public mutating func add(line: UnsafeBufferPointer<UInt8>) {
        scratch.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        normalizer.normalize(line, appendingTo: &scratch)
        scratch.withUnsafeBufferPointer { preTokenizer.split($0, appendingTo: &words) }
        for word in words {
            wordCounts[Array(scratch[word]), default: 0] += 1
        }
    }

    public mutating func add(line: String) {
        Array(line.utf8).withUnsafeBufferPointer { add(line: $0) }
    }

    /// Runs the merges and returns the vocabulary.
    public func train() -> Vocabulary {
        var symbols = SymbolTable()
        let alphabet = chooseAlphabet()
        var tokens = Tokenizer.specialTokens
        for symbol in alphabet.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            _ = symbols.id(for: symbol)
            tokens.append(String(decoding: symbol, as: UTF8.self))
        }
        let alphabetSet = Set(alphabet)

        // Words as symbol sequences, in a fixed order (sorted bytes) for determinism.
        var sequences: [[Int32]] = []
        var counts: [Int] = []
        for (word, count) in wordCounts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            guard let pieces = Self.initialPieces(word, maxScalars: maxCharactersPerWord),
                pieces.allSatisfy(alphabetSet.contains)
            else { continue }
            sequences.append(pieces.map { symbols.id(for: $0) })
            counts.append(count)
        }

        var pairs = PairStatistics()
        for (index, sequence) in sequences.enumerated() {
            pairs.add(sequence, count: counts[index], word: Int32(index))
        }
        var lastSeen = [Int](repeating: -1, count: sequences.count)
        var merges = 0
        while tokens.count < vocabularySize {
            guard let (pair, frequency) = pairs.popBest(), frequency >= minFrequency else { break }
            let merged = symbols.merged(pair.left, pair.right)
            let mergedID = symbols.id(for: merged)
            tokens.append(String(decoding: merged, as: UTF8.self))
            merges += 1
            for word in pairs.words(containing: pair) where lastSeen[Int(word)] != merges {
                lastSeen[Int(word)] = merges
                let index = Int(word)
                let old = sequences[index]
                let new = Self.merge(old, pair.left, pair.right, into: mergedID)
                guard new.count != old.count else { continue }
                pairs.remove(old, count: counts[index])
                pairs.add(new, count: counts[index], word: word)
                sequences[index] = new
            }
        }
        return Vocabulary(tokens: tokens)
    }

    /// The alphabet symbols, most frequent first, at most `limitAlphabet` scalars.
    private func chooseAlphabet() -> [[UInt8]] {
        var scalarCounts: [[UInt8]: Int] = [:]
        for (word, count) in wordCounts {
            guard let pieces = Self.initialPieces(word, maxScalars: maxCharactersPerWord) else { continue }
            for piece in pieces {
                let scalar = piece.starts(with: [0x23, 0x23]) ? Array(piece.dropFirst(2)) : piece
                scalarCounts[scalar, default: 0] += count
            }
        }
        let kept = scalarCounts.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key)
        }.prefix(limitAlphabet).map(\.key)
        let keptSet = Set(kept)
        var symbols = Set<[UInt8]>()
        for word in wordCounts.keys {
            guard let pieces = Self.initialPieces(word, maxScalars: maxCharactersPerWord) else { continue }
            for piece in pieces {
                let scalar = piece.starts(with: [0x23, 0x23]) ? Array(piece.dropFirst(2)) : piece
                if keptSet.contains(scalar) { symbols.insert(piece) }
            }
        }
        return Array(symbols)
    }

    /// A word split into its scalars, continuation scalars prefixed with `##`; nil if too long.
    static func initialPieces(_ word: [UInt8], maxScalars: Int) -> [[UInt8]]? {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in word {
            if UTF8Scalars.isScalarStart(byte) && !current.isEmpty {
                pieces.append(pieces.isEmpty ? current : [0x23, 0x23] + current)
                current.removeAll()
            }
            current.append(byte)
        }
        if !current.isEmpty { pieces.append(pieces.isEmpty ? current : [0x23, 0x23] + current) }
        return pieces.count > maxScalars ? nil : pieces
    }

    static func merge(_ sequence: [Int32], _ left: Int32, _ right: Int32, into merged: Int32) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(sequence.count)
        var index = 0
        while index < sequence.count {
            if index + 1 < sequence.count && sequence[index] == left && sequence[index + 1] == right {
                result.append(merged)
                index += 2
            } else {
                result.append(sequence[index])
                index += 1
            }
        }
        return result
    }
}
