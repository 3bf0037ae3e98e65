import Foundation

/// Finds the files shipped with fewshot (the default vocabulary, corpora, model) wherever the
/// binary is run from: `$FEWSHOT_HOME`, then the current directory, then the folders above the
/// executable (a binary under `.build/.../release/` finds the checkout it was built in).
enum Resources {
    static func locate(_ relativePath: String) -> String? {
        var roots: [String] = []
        if let home = ProcessInfo.processInfo.environment["FEWSHOT_HOME"] { roots.append(home) }
        roots.append(FileManager.default.currentDirectoryPath)
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0..<5 {
                roots.append(directory.path)
                directory = directory.deletingLastPathComponent()
            }
        }
        for root in roots {
            let candidate = URL(fileURLWithPath: root).appendingPathComponent(relativePath).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let defaultVocabularyPath = "vocab/vocab.txt"

    /// The vocabulary named by `--vocab`: a path, or (its default) the shipped one wherever the
    /// checkout is.
    static func vocabularyPath(_ option: String) throws -> String {
        if option != defaultVocabularyPath || FileManager.default.fileExists(atPath: option) { return option }
        guard let found = locate(defaultVocabularyPath) else {
            throw CLIError.runtime(
                "the shipped \(defaultVocabularyPath) was not found",
                hint: "pass --vocab FILE, or set FEWSHOT_HOME to the fewshot checkout")
        }
        return found
    }

    static let defaultModelPath = "models/default.safetensors"

    /// The shipped models a user can name instead of giving a path (`--model accurate`).
    static let shippedModels = ["fast", "default", "accurate"]

    /// The model named by `--model`: a path, or the name of a shipped model. A file or directory
    /// of that name in the current directory wins over a shipped name.
    static func modelPath(_ option: String) throws -> String {
        if !shippedModels.contains(option) || FileManager.default.fileExists(atPath: option) { return option }
        let relative = "models/\(option).safetensors"
        guard let found = locate(relative) else {
            throw CLIError.runtime(
                "the shipped model '\(option)' (\(relative)) was not found",
                hint:
                    "pass --model PATH (an encoder .safetensors or a BERT directory such as all-MiniLM-L6-v2), "
                    + "or set FEWSHOT_HOME to the fewshot checkout"
            )
        }
        return found
    }
}
