import FewShot
import Foundation
import Storage
import Tokenization
import Transformer

/// Runs the command, then writes out what it printed, on failure too (the lines before an error
/// are kept); a write error on standard output fails a command that otherwise succeeded.
@MainActor func runMain() -> Int32 {
    let status = runCommand()
    do {
        try standardOutput.flush()
    } catch CLIError.runtime(let message, let hint) where status == 0 {
        printError("error: \(message)" + (hint.map { "\nhint: \($0)" } ?? ""))
        return 1
    } catch {
        // The command failed already and said why (a write error it met is sticky and is
        // met again here); what it printed was written as far as it could be.
    }
    return status
}

@MainActor func runCommand() -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let name = arguments.first else {
        printError(mainUsage())
        return 2
    }
    let asksForHelp = ["--help", "-h", "help"].contains(name)
    let entry = commands.first { $0.command.name == name }
    guard asksForHelp || entry != nil else {
        printError("error: unknown command '\(name)'\nhint: run 'fewshot --help' for the list of commands")
        return 2
    }
    do {
        do {
            if let entry { try entry.run(Array(arguments.dropFirst())) } else { print(mainUsage()) }
        } catch CLIError.help(let text) {
            print(text)
        }
        return 0
    } catch CLIError.usage(let message, let command) {
        printError("error: \(message)\nhint: run 'fewshot \(command) --help' for usage")
        return 2
    } catch CLIError.runtime(let message, let hint) {
        printError("error: \(message)" + (hint.map { "\nhint: \($0)" } ?? ""))
        return 1
    } catch CLIError.interrupted(let message) {
        printError(message)
        return 130
    } catch let error as StorageError {
        printError("error: \(error)\nhint: \(hint(for: error))")
        return 1
    } catch {
        // Every module's errors (tokenization, corpus, encoder, training) describe themselves.
        printError("error: \(error)")
        return 1
    }
}

/// What a user can do about a file error.
func hint(for error: StorageError) -> String {
    switch error {
    case .cannotOpen, .cannotRead: return "check the path and permissions"
    case .cannotWrite: return "check that the folder exists and is writable, and that the disk has space"
    case .wrongFormat, .unsupportedVersion, .truncated, .corrupted: return "rebuild the file with the fewshot command that made it"
    case .notARegularFile: return "an output takes the path of a file, not a directory or device (an existing file is replaced atomically)"
    }
}

/// Refuses to run an AVX-512 build on a CPU without AVX-512 (it would die of an illegal
/// instruction later), and warns about a build without a CPU target (numeric code ~100x slower).
func checkBuildTarget() {
    #if FEWSHOT_AVX512
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if !flags.contains(" avx512f") {
            printError("error: this fewshot was built for AVX-512 and this CPU lacks it\nhint: rebuild on this machine with 'make build'")
            exit(1)
        }
    #endif
    #if !FEWSHOT_CPU_TARGET
        printError("warning: fewshot was built without a CPU target; numeric code runs ~100x slower (build with 'make build')")
    #endif
}

/// Says when FEWSHOT_THREADS is not used as written (`Parallel.configured` caps it).
func checkThreadSetting() {
    guard let text = ProcessInfo.processInfo.environment["FEWSHOT_THREADS"] else { return }
    guard let requested = Parallel.requested else {
        printError("warning: FEWSHOT_THREADS='\(text)' is not a whole number of 1 or more; using all \(Parallel.cores) cores")
        return
    }
    if requested > Parallel.cores {
        printError("warning: FEWSHOT_THREADS=\(text) is more than the \(Parallel.cores) cores; using \(Parallel.cores)")
    }
}

checkBuildTarget()
checkThreadSetting()
exit(runMain())
