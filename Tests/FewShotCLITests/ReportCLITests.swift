import Foundation
import Testing

/// `test --report` and `report` pages rendered by a real browser (headless Chromium): each page
/// draws something and names every label. Skipped when no Chromium is installed, unless
/// FEWSHOT_REQUIRE_BROWSER=1 (set by CI, which installs it), where a missing browser fails.
@Suite struct ReportCLITests {
    static let browser: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let required = ProcessInfo.processInfo.environment["FEWSHOT_REQUIRE_BROWSER"] == "1"

    /// Runs the browser headless on a local page with `arguments`; returns its standard output.
    static func render(_ page: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser!)
        // --no-sandbox: tests may run as root, where Chromium's sandbox refuses to start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + arguments + ["file://" + page]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// The page as the browser built it names every label, and its screenshot is not blank.
    static func expectRendered(_ page: String, naming names: [String], in folder: URL) throws {
        let dom = try render(page, ["--dump-dom"])
        #expect(dom.contains("<svg"), "no figure in \(page)")
        for name in names { #expect(dom.contains(">\(name)<"), "\(name) is not on the page") }
        let png = folder.appendingPathComponent(URL(fileURLWithPath: page).lastPathComponent + ".png").path
        _ = try render(page, ["--screenshot=\(png)", "--window-size=1000,1400"])
        let ink = Process()
        ink.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ink.arguments = ["python3", CLITests.root.appendingPathComponent("scripts/png_ink.py").path, png]
        let output = Pipe()
        ink.standardOutput = output
        try ink.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ink.waitUntilExit()
        // A blank page is 0; these pages, with their figures, draw on a few percent of the pixels.
        let share = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(share > 0.01, "screenshot of \(page) is blank (ink \(text))")
    }

    @Test func testReportAndLearningCurvesRenderInABrowser() throws {
        guard Self.browser != nil else {
            #expect(!Self.required, "FEWSHOT_REQUIRE_BROWSER=1 but no Chromium is installed (apt-get install chromium)")
            return
        }
        let folder = try WriteSafetyTests.folder()
        let labels = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
        let corpus = try WriteSafetyTests.examples(in: folder, "corpus.tsv", labels: labels, perLabel: 8)
        try Data("alpha\ttrain\nbeta\ttrain\ngamma\ttrain\ndelta\tval\nepsilon\tval\nzeta\tval\n".utf8)
            .write(to: folder.appendingPathComponent("corpus.split"))
        // The scores page of a classifier.
        let classifier = folder.appendingPathComponent("six.fsc").path
        let support = try WriteSafetyTests.examples(in: folder, "support.tsv", labels: labels, perLabel: 2)
        #expect(try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", support, "-o", classifier]).status == 0)
        let scores = folder.appendingPathComponent("report.html").path
        let tested = try CLITests.run(["test", classifier, corpus, "--report", scores])
        #expect(tested.status == 0 && tested.stderr.contains("report -> "), "\(tested.stderr)")
        try Self.expectRendered(scores, naming: labels, in: folder)
        // The learning curves of a short meta-training with validation.
        let index = folder.appendingPathComponent("corpus.fsi").path
        #expect(try CLITests.run(["index", corpus, "-o", index]).status == 0)
        let model = folder.appendingPathComponent("m.safetensors").path
        let trained = try CLITests.run([
            "meta-train", "--index", index, "--init", CLITests.tinyModel, "--ways", "3", "--shots", "2", "--queries", "2", "--steps",
            "8", "--warmup", "2", "--validate-every", "4", "--validation-episodes", "4", "--validation-family", "corpus",
            "--validation-ways", "3", "--validation-shots", "2", "--validation-queries", "2", "-o", model,
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let curves = folder.appendingPathComponent("curves.html").path
        let drawn = try CLITests.run(["report", model + ".log.jsonl", "-o", curves])
        #expect(drawn.status == 0 && drawn.stderr.contains("8 steps drawn"), "\(drawn.stderr)")
        try Self.expectRendered(curves, naming: ["training loss", "validation", "learning rate"], in: folder)
    }

    @Test func reportSkipsDamagedLinesAndRefusesALogWithoutSteps() throws {
        let folder = try WriteSafetyTests.folder()
        let log = folder.appendingPathComponent("m.log.jsonl").path
        try Data(
            ("{\"step\":1,\"loss\":1.5,\"lr\":0.001}\nnot json\n"
                + "{\"step\":2,\"loss\":1.2,\"lr\":0.002,\"val_accuracy\":0.5}\n{\"step\":3,\"lo\n{\"step\":2.5,\"loss\":1}")
                .utf8
        ).write(to: URL(fileURLWithPath: log))
        let out = folder.appendingPathComponent("c.html").path
        let drawn = try CLITests.run(["report", log, "-o", out])
        #expect(
            drawn.status == 0 && drawn.stderr.contains("m.log.jsonl:2: skipped") && drawn.stderr.contains("m.log.jsonl:4: skipped")
                && drawn.stderr.contains("m.log.jsonl:5: skipped"))
        #expect(drawn.stderr.contains("2 steps drawn"), "\(drawn.stderr)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.contains("Best validation accuracy 0.5000 at step 2"))
        let empty = folder.appendingPathComponent("empty.jsonl").path
        try Data("\n".utf8).write(to: URL(fileURLWithPath: empty))
        let refused = try CLITests.run(["report", empty, "-o", out])
        #expect(refused.status == 1 && refused.stderr.contains("no step entries"), "\(refused.stderr)")
        #expect(try CLITests.run(["report", log]).status == 2)
    }
}
