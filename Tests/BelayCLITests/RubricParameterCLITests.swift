import BelayTestSupport
import Foundation
import Testing

/// A rubric parameter Belay cannot work with stops `belay` with a rubric error (exit 64), never a crash.
@Suite("belay rubric parameters", .serialized)
struct RubricParameterCLITests {
    @Test(arguments: [("test_fraction: 0.2", "test_fraction: 1.5"), ("seed: 42", "seed: -3"), ("seed: 42", "seed: .nan")])
    func badRouteParameterExits64WithFileAndLine(old: String, new: String) throws {
        let shipped = CLITests.root.appendingPathComponent("rubrics/019-leaky-pipeline/rubric.yaml")
        let text = try String(contentsOf: shipped, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "  " + old + "\n", with: "  " + new + "\n")
        try #require(edited != text, "the shipped rubric no longer has '\(old)'")
        let line = try #require(edited.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
            $0 == "  " + new
        }) + 1
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Data(edited.utf8).write(to: directory.file("bad.yaml"))
        let run = try CLITests.belay([
            "check", CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline").path, "--rubric",
            directory.file("bad.yaml").path,
        ])
        #expect(run.status == 64, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("bad.yaml:\(line): rubric param '\(new.prefix { $0 != ":" })'"), "\(run.stderr)")
    }
}
