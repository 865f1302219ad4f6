import BelayTestSupport
import Foundation
import Testing

/// `belay check --html FILE` and `belay grade`'s pages, through the built binary.
@Suite("belay HTML reports", .serialized, .timeLimit(.minutes(45)))
struct HTMLReportCLITests {
    /// Small generated data and its reference submission (with the model reflection).
    static func submission(in directory: TemporaryDirectory) throws -> (student: URL, data: URL) {
        let data = directory.file("data"), student = directory.file("student")
        let synth = try CLITests.belay(["data", "synth", "--out", data.path, "--proteins", "300", "--labeled", "120", "--dim", "16"])
        try #require(synth.status == 0, "\(synth.stderr)")
        let ref = try CLITests.belay(["reference", "--data", data.path, "--out", student.path, "--seed", "42"])
        try #require(ref.status == 0, "\(ref.stderr)")
        try FileManager.default.copyItem(
            at: CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline/reflection.md"),
            to: student.appendingPathComponent("reflection.md"))
        return (student, data)
    }

    @Test func checkWritesTheSamePageTwiceAndFiguresOnlyWhenAsked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let (student, data) = try Self.submission(in: directory)
        var pages: [Data] = []
        for i in 0..<2 {
            let html = directory.file("out/report-\(i).html")
            let run = try CLITests.belay(["check", student.path, "--data", data.path, "--html", html.path, "--reproducible"])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            pages.append(try Data(contentsOf: html))
        }
        #expect(pages[0] == pages[1], "the page differs between two runs")
        let page = String(decoding: pages[0], as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("The Leaky Pipeline: student"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 4, "the four Exercise 3 figures")
        // Without --html, no figure is computed: the JSON report has none.
        let json = directory.file("report.json")
        let plain = try CLITests.belay(["check", student.path, "--data", data.path, "--json", json.path])
        #expect(plain.status == 0)
        #expect(!(try String(contentsOf: json, encoding: .utf8)).contains("\"figures\""))
        let withHTML = directory.file("report-html.json")
        _ = try CLITests.belay(["check", student.path, "--data", data.path, "--json", withHTML.path, "--html", directory.file("x.html").path])
        #expect((try String(contentsOf: withHTML, encoding: .utf8)).contains("\"figures\""))
    }
}
