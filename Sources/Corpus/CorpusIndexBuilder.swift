import Dispatch
import Foundation
import Storage
import Tokenization

/// Builds a `CorpusIndex` file from `label<TAB>text` corpora in one streaming pass, tokenizing
/// batches of lines on all cores while keeping file order.
///
/// Each file's family is its stem (`corpora/domains.tsv` -> `domains`); its labels' splits come
/// from the split file beside it (`domains.split`), or are all `defaultSplit` when there is none.
/// Unusable lines (no tab, empty label or text) are reported and counted; nothing else is dropped.
public struct CorpusIndexBuilder {
    public let tokenizer: Tokenizer
    public let maxLength: Int
    public let defaultSplit: Split
    /// Threads tokenizing runs on (the caller's `Parallel.threads`: Corpus knows no kernels).
    public let threads: Int
    /// Lines tokenized per parallel batch.
    public var batchSize = 8192

    public struct UnusableLine: Sendable, Equatable {
        public let file: String
        public let line: Int
        public let problem: LabeledLine.Problem
    }

    public struct Summary: Sendable {
        public var examples = 0
        public var tokens = 0
        public var truncated = 0
        public var unusable: [UnusableLine] = []
        public var labels = 0
    }

    public init(tokenizer: Tokenizer, maxLength: Int, defaultSplit: Split = .train, threads: Int = 1) {
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.defaultSplit = defaultSplit
        self.threads = max(1, threads)
    }

    /// Indexes `paths` and writes the index atomically to `output`.
    public func build(_ paths: [String], to output: String, progress: (String) -> Void = { _ in }) throws -> Summary {
        var state = State()
        var summary = Summary()
        var familyFiles: [String: String] = [:]
        for path in paths {
            let family = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            // One file per family: two files of one name would merge, one's split file ignored.
            if let earlier = familyFiles[family] {
                throw CorpusError.invalidLine(
                    "\(path): its family '\(family)' (the file's name) is also \(earlier)'s: a family is one file; rename one")
            }
            familyFiles[family] = path
            let familyID = state.familyID(family)
            let examplesBefore = summary.examples
            let splitPath = SplitFile.path(besides: path)
            // Anything at the split file's path counts (a dangling link is an error when read,
            // not a corpus without splits).
            var entry = stat()
            let splits: [String: Split]? = lstat(splitPath, &entry) == 0 ? try SplitFile.read(splitPath) : nil
            var batch = Batch()
            var lineNumber = 0
            try LineReader(path: path).forEachLine { line in
                lineNumber += 1
                switch LabeledLine.parse(line) {
                case .unusable(let problem):
                    summary.unusable.append(UnusableLine(file: path, line: lineNumber, problem: problem))
                case .example(let labelRange, let textRange):
                    let name = String(decoding: UnsafeBufferPointer(rebasing: line[labelRange]), as: UTF8.self)
                    let split: Split
                    if let splits {
                        guard let listed = splits[name] else {
                            throw CorpusError.labelMissingFromSplit(path: path, line: lineNumber, label: name, splitFile: splitPath)
                        }
                        split = listed
                    } else {
                        split = defaultSplit
                    }
                    batch.add(
                        label: state.labelID(name: name, family: familyID, split: split),
                        text: UnsafeBufferPointer(rebasing: line[textRange]))
                    if batch.count >= batchSize {
                        tokenize(&batch, into: &state, summary: &summary)
                        progress("index: \(summary.examples) examples, \(summary.tokens) tokens")
                    }
                }
            }
            tokenize(&batch, into: &state, summary: &summary)
            guard summary.examples > examplesBefore else {
                let problems = summary.unusable.filter { $0.file == path }
                let shown = problems.prefix(3).map { "line \($0.line): \($0.problem.rawValue)" }.joined(separator: "; ")
                throw CorpusError.noExamples(
                    "no usable examples in \(path)" + (problems.isEmpty ? "" : " (\(problems.count) unusable lines; \(shown))"))
            }
        }
        summary.labels = state.labels.count
        try AtomicFile.write(state.serialized(maxLength: maxLength, fingerprint: tokenizer.vocabulary.fingerprint), to: output)
        return summary
    }

    /// Tokenizes a batch on `threads` threads (one contiguous slice each) and appends it in order.
    private func tokenize(_ batch: inout Batch, into state: inout State, summary: inout Summary) {
        guard batch.count > 0 else { return }
        let workers = min(threads, max(1, batch.count / 256))
        let results = WorkerResults(count: workers)
        let shared = batch
        let tokenizer = self.tokenizer
        let maxLength = self.maxLength
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = shared.count * worker / workers..<shared.count * (worker + 1) / workers
            var ids: [Int32] = []
            var scratch = Tokenizer.Scratch()
            var tokens: [UInt32] = []
            var lengths: [Int] = []
            var truncated = 0
            for example in range {
                shared.text(example).withUnsafeBufferPointer { text in
                    tokenizer.encode(text, maxLength: maxLength + 1, into: &ids, scratch: &scratch)
                }
                if ids.count > maxLength {
                    truncated += 1
                    Tokenizer.truncate(&ids, toLength: maxLength)
                }
                tokens.append(contentsOf: ids.map { UInt32(bitPattern: $0) })
                lengths.append(ids.count)
            }
            results.store(worker, tokens: tokens, lengths: lengths, truncated: truncated)
        }
        for worker in 0..<workers {
            let (tokens, lengths, truncated) = results.load(worker)
            state.tokens.append(contentsOf: tokens)
            for length in lengths { state.offsets.append(state.offsets.last! + UInt64(length)) }
            summary.truncated += truncated
            summary.tokens += tokens.count
        }
        state.exampleLabels.append(contentsOf: batch.labels)
        let textBase = UInt64(state.texts.count)
        state.texts.append(contentsOf: batch.bytes)
        for end in batch.ends { state.textOffsets.append(textBase + UInt64(end)) }
        summary.examples += batch.count
        batch = Batch()
    }

    /// Lines waiting to be tokenized: texts back to back in one buffer.
    struct Batch: Sendable {
        var labels: [UInt32] = []
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var count: Int { labels.count }

        mutating func add(label: Int, text: UnsafeBufferPointer<UInt8>) {
            labels.append(UInt32(label))
            bytes.append(contentsOf: text)
            ends.append(bytes.count)
        }

        func text(_ index: Int) -> ArraySlice<UInt8> {
            bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
        }
    }

    /// Per-worker outputs, written by distinct workers into distinct slots.
    final class WorkerResults: @unchecked Sendable {
        private var slots: [([UInt32], [Int], Int)]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: ([], [], 0), count: count) }
        func store(_ worker: Int, tokens: [UInt32], lengths: [Int], truncated: Int) {
            lock.lock()
            slots[worker] = (tokens, lengths, truncated)
            lock.unlock()
        }
        func load(_ worker: Int) -> ([UInt32], [Int], Int) { slots[worker] }
    }

    /// Everything the index file will hold, accumulated in file order.
    struct State {
        var families: [String] = []
        var labels: [(name: String, family: Int, split: Split)] = []
        var labelIDs: [String: Int] = [:]
        var exampleLabels: [UInt32] = []
        var offsets: [UInt64] = [0]
        var tokens: [UInt32] = []
        var texts: [UInt8] = []
        var textOffsets: [UInt64] = [0]

        mutating func familyID(_ name: String) -> Int {
            if let found = families.firstIndex(of: name) { return found }
            families.append(name)
            return families.count - 1
        }

        mutating func labelID(name: String, family: Int, split: Split) -> Int {
            let key = "\(family)\t\(name)"
            if let found = labelIDs[key] { return found }
            labels.append((name, family, split))
            labelIDs[key] = labels.count - 1
            return labels.count - 1
        }

        func serialized(maxLength: Int, fingerprint: String) -> [UInt8] {
            var strings = BinaryWriter()
            var familyEntries = BinaryWriter()
            for family in families {
                familyEntries.append(UInt32(strings.count))
                familyEntries.append(UInt32(family.utf8.count))
                strings.append(bytes: Array(family.utf8))
            }
            var labelEntries = BinaryWriter()
            for label in labels {
                labelEntries.append(UInt32(strings.count))
                labelEntries.append(UInt32(label.name.utf8.count))
                strings.append(bytes: Array(label.name.utf8))
                labelEntries.append(UInt32(label.family))
                labelEntries.append(label.split.code)
            }
            var body = BinaryWriter()
            body.append(bytes: familyEntries.bytes)
            body.align(to: 8)
            body.append(bytes: labelEntries.bytes)
            body.align(to: 8)
            body.append(contentsOf: exampleLabels)
            body.align(to: 8)
            body.append(contentsOf: offsets)
            body.append(contentsOf: tokens)
            body.align(to: 8)
            body.append(bytes: strings.bytes)
            body.align(to: 8)
            body.append(contentsOf: textOffsets)
            body.append(bytes: texts)

            var file = BinaryWriter()
            file.append(bytes: CorpusIndex.magic)
            file.append(CorpusIndex.version)
            file.append(UInt32(maxLength))
            file.append(UInt64(fingerprint, radix: 16) ?? 0)
            file.append(UInt32(families.count))
            file.append(UInt32(labels.count))
            file.append(UInt64(exampleLabels.count))
            file.append(UInt64(tokens.count))
            file.append(UInt64(strings.count))
            file.append(UInt64(texts.count))
            let checksum = file.bytes.withUnsafeBytes { header in body.bytes.withUnsafeBytes { Checksum.of(header, $0) } }
            file.append(checksum)
            file.append(bytes: body.bytes)
            return file.bytes
        }
    }
}
