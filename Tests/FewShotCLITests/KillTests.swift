import Foundation
import Testing

/// The real binary killed with SIGKILL at many points of a run that replaces a file: afterwards
/// the file is byte for byte either the complete old one or the complete new one (both load),
/// and a meta-train run resumed after a kill ends with the weights of an uninterrupted run.
@Suite(.serialized) struct KillTests {
    /// Kill points per command.
    static let points = 50

    struct Scenario {
        let name: String
        let arguments: [String]
        let target: String
        /// Puts the old file in place before each run.
        let reset: () throws -> Void
    }

    static func folder() throws -> URL { try WriteSafetyTests.folder() }

    /// Starts the binary with its output to /dev/null. The child starts with no signal blocked
    /// and SIGINT, SIGTERM and SIGHUP at their default action, as from a shell, whatever the
    /// test runner's own mask and actions are (a runner that blocks them would leave every
    /// signal pending until the run ends).
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for watched in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, watched) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [1, 2] { posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0) }
        let argv = ([CLITests.binary] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, CLITests.binary, &actions, &attributes, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }

    /// Starts the binary, kills it after `delay` seconds (if it is still running), waits for it.
    static func runKilled(_ arguments: [String], after delay: Double) throws -> Bool {
        let pid = try spawn(arguments)
        usleep(useconds_t(delay * 1e6))
        var status: Int32 = 0
        let running = waitpid(pid, &status, WNOHANG) == 0
        let killed = running && kill(pid, SIGKILL) == 0
        if running { waitpid(pid, &status, 0) }
        return killed
    }

    /// Seconds an uninterrupted run takes (median of 3).
    static func duration(_ arguments: [String]) throws -> Double {
        var times: [Double] = []
        for _ in 0..<3 {
            let start = Date()
            #expect(try CLITests.run(arguments).status == 0)
            times.append(Date().timeIntervalSince(start))
        }
        return times.sorted()[1]
    }

    /// Kill points spread log-uniformly from 0.01 to 4 times the uninterrupted duration, so
    /// that both outcomes occur even when the timed runs and the killed runs are slowed down
    /// unequally by parallel tests (a timed run 10 times slower or faster than the killed ones
    /// still leaves kill points on both sides of the rename).
    static func delays(for seconds: Double, seed: UInt64) -> [Double] {
        var state = seed
        let (low, high) = (0.01, 4.0)
        return (0..<points).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53)
            return seconds * low * pow(high / low, unit)
        }
    }

    static func check(_ scenario: Scenario, old: Data, new: Data) throws {
        #expect(old != new, "\(scenario.name): the old and new files must differ for this test to mean anything")
        let seconds = try duration(scenario.arguments)
        var outcomes = (old: 0, new: 0)
        var landed = 0
        for (number, delay) in delays(for: seconds, seed: UInt64(scenario.name.utf8.count)).enumerated() {
            try scenario.reset()
            if try runKilled(scenario.arguments, after: delay) { landed += 1 }
            let now = try Data(contentsOf: URL(fileURLWithPath: scenario.target))
            #expect(now == old || now == new, "\(scenario.name): kill point \(number) (\(delay) s) left a torn file")
            if now == old { outcomes.old += 1 } else if now == new { outcomes.new += 1 }
        }
        #expect(outcomes.old + outcomes.new == points, "\(scenario.name): \(outcomes)")
        // Without kills that landed before the rename (old file kept) and runs that got past it
        // (new file), the test would show nothing about atomicity.
        #expect(landed > 0 && outcomes.old > 0 && outcomes.new > 0, "\(scenario.name): \(landed) kills landed, \(outcomes)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (scenario.target as NSString).deletingLastPathComponent)
            .filter { $0.contains(".tmp-") }
        // A kill between creating and renaming the temporary file leaves it behind (nothing can
        // clean up after SIGKILL); it never replaces or damages the target.
        #expect(leftovers.count <= points)
    }

    @Test func trainOverAnExistingClassifier() throws {
        let folder = try Self.folder()
        let old = try WriteSafetyTests.examples(in: folder, "old.tsv", labels: ["alpha", "beta"])
        let new = try WriteSafetyTests.examples(in: folder, "new.tsv", labels: ["gamma", "delta"], perLabel: 60)
        let target = folder.appendingPathComponent("topics.fsc").path
        let train = ["train", "--model", CLITests.tinyModel, "--examples"]
        #expect(try CLITests.run(train + [new, "-o", target]).status == 0)
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(try CLITests.run(train + [old, "-o", target]).status == 0)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        try Self.check(
            Scenario(name: "train -o", arguments: train + [new, "-o", target], target: target) {
                try oldBytes.write(to: URL(fileURLWithPath: target))
            }, old: oldBytes, new: newBytes)
    }

    /// SIGTERM, Ctrl-C (SIGINT) and SIGHUP sent while the temporary file exists (polled for,
    /// a 19 MB classifier being written and flushed): the process ends by that signal, the
    /// temporary file is gone, and the target is the old file. A poll that sees the file only
    /// after its rename tells nothing, so the test asks for at least one signal that landed.
    @Test func aSignalDuringTheWriteRemovesTheTemporaryFile() throws {
        let folder = try Self.folder()
        let old = try WriteSafetyTests.examples(in: folder, "old.tsv", labels: ["alpha", "beta"])
        let new = try WriteSafetyTests.examples(in: folder, "new.tsv", labels: ["gamma", "delta"])
        let target = folder.appendingPathComponent("topics.fsc").path
        #expect(try CLITests.run(["train", "--model", "fast", "--examples", old, "-o", target]).status == 0)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        var landed = 0
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGTERM, SIGINT, SIGHUP] {
            try oldBytes.write(to: URL(fileURLWithPath: target))
            let pid = try Self.spawn(["train", "--model", "fast", "--examples", new, "-o", target])
            var status: Int32 = 0
            var exited = false
            while !exited, try WriteSafetyTests.leftovers(in: folder).isEmpty {
                exited = waitpid(pid, &status, WNOHANG) == pid
                usleep(100)
            }
            guard !exited else { continue }
            kill(pid, signal)
            waitpid(pid, &status, 0)
            let endedBy = status & 0x7f
            guard endedBy == signal else { continue }  // renamed and exited before the signal came
            landed += 1
            #expect(try WriteSafetyTests.leftovers(in: folder).isEmpty, "signal \(signal)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == oldBytes, "signal \(signal)")
        }
        #expect(landed > 0, "no signal landed while the temporary file existed")
    }

    @Test func trainUpdate() throws {
        let folder = try Self.folder()
        let base = try WriteSafetyTests.examples(in: folder, "base.tsv", labels: ["alpha", "beta"])
        let more = try WriteSafetyTests.examples(in: folder, "more.tsv", labels: ["gamma"], perLabel: 100)
        let target = folder.appendingPathComponent("topics.fsc").path
        #expect(try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", base, "-o", target]).status == 0)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(try CLITests.run(["train", "--update", target, more]).status == 0)
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        try Self.check(
            Scenario(name: "train --update", arguments: ["train", "--update", target, more], target: target) {
                try oldBytes.write(to: URL(fileURLWithPath: target))
            }, old: oldBytes, new: newBytes)
    }

    @Test func indexOverAnExistingIndex() throws {
        let folder = try Self.folder()
        let old = try WriteSafetyTests.examples(in: folder, "old.tsv", labels: ["alpha", "beta"])
        let new = try WriteSafetyTests.examples(in: folder, "new.tsv", labels: ["gamma", "delta", "epsilon"], perLabel: 3000)
        let target = folder.appendingPathComponent("corpus.fsi").path
        #expect(try CLITests.run(["index", new, "-o", target]).status == 0)
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(try CLITests.run(["index", old, "-o", target]).status == 0)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: target))
        try Self.check(
            Scenario(name: "index -o", arguments: ["index", new, "-o", target], target: target) {
                try oldBytes.write(to: URL(fileURLWithPath: target))
            }, old: oldBytes, new: newBytes)
    }

    /// meta-train checkpoints every step; killed anywhere and resumed (or restarted, when killed
    /// before its first checkpoint), it ends with exactly the uninterrupted run's weights.
    @Test func metaTrainResumedAfterAKillEqualsAnUninterruptedRun() throws {
        let folder = try Self.folder()
        let corpus = try WriteSafetyTests.examples(
            in: folder, "corpus.tsv", labels: ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"], perLabel: 12)
        let index = folder.appendingPathComponent("corpus.fsi").path
        #expect(try CLITests.run(["index", corpus, "--default-split", "train", "-o", index]).status == 0)
        let training = [
            "meta-train", "--index", index, "--init", CLITests.tinyModel, "--method", "protonet", "--ways", "3", "--shots", "2",
            "--queries", "2", "--steps", "6", "--warmup", "2", "--validate-every", "0", "--validation-family", "any", "--checkpoint-every",
            "1",
        ]
        let straight = folder.appendingPathComponent("straight.safetensors").path
        let uninterrupted = try CLITests.run(training + ["-o", straight])
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: straight))
        let seconds = try Self.duration(training + ["-o", straight])
        var landed = 0
        for (number, delay) in Self.delays(for: seconds, seed: 7).enumerated() {
            let output = folder.appendingPathComponent("killed-\(number).safetensors").path
            if try Self.runKilled(training + ["-o", output], after: delay) { landed += 1 }
            let state = output + ".state"
            let resumed = try CLITests.run(training + ["-o", output] + (FileManager.default.fileExists(atPath: state) ? ["--resume"] : []))
            #expect(resumed.status == 0, "kill point \(number): \(resumed.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == expected, "kill point \(number) (\(delay) s)")
        }
        #expect(landed > 0, "no kill landed while meta-train ran: the resumes tested nothing")
    }
}
