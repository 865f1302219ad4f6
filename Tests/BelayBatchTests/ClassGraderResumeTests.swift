@testable import BelayBatch
import BelayReports
import BelayRoute
import BelayTestSupport
import Foundation
import Testing

/// Every file under `directory` by relative path, with its bytes.
func snapshot(_ directory: URL) throws -> [String: Data] {
    let root = directory.standardizedFileURL.resolvingSymlinksInPath().path + "/"
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = enumerator?.nextObject() as? URL {
        guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        files[path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path] = try Data(contentsOf: url)
    }
    return files
}

/// What a run killed at any point can leave behind, and that a rerun must neither trust nor keep: truncated or
/// stale reports and cache entries, temporary files, scratch folders. (The end-to-end version, with `kill -9`
/// on the real binary, is `KillResumeTests` in BelayCLITests.)
@Suite(.serialized) struct ClassGraderResumeTests {
    func makeSmallClass(in root: URL) throws -> URL {
        let classDir = root.appendingPathComponent("class")
        for (name, answer) in [("alice", "42"), ("bob", "41")] {
            try FileManager.default.createDirectory(at: classDir.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data(answer.utf8).write(to: classDir.appendingPathComponent("\(name)/answer.txt"))
        }
        try FileManager.default.createDirectory(at: classDir.appendingPathComponent("dave"), withIntermediateDirectories: true)
        try makeZip(classDir.appendingPathComponent("carol.zip"), entries: [("carol/answer.txt", "42\n")])
        try makeZip(classDir.appendingPathComponent("eve.zip"), entries: [("../evil", "pwned")])
        return classDir
    }

    @Test func damagedOrHalfWrittenOutputsAreRegradedAndTheResultIsIdentical() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let classDir = try makeSmallClass(in: temp.url)
        let out = temp.file("out")
        let log = CallLog()
        func makeGrader(reproducible: Bool = true) -> ClassGrader {
            ClassGrader(
                grader: FakeGrader(log: log), rubricSHA: "r1", belayVersion: "0.1.0", jobs: 2, timeoutSeconds: 60,
                reproducible: reproducible)
        }
        /// Grades the class again and returns who reached the route's grader.
        func regraded(_ grader: ClassGrader? = nil, only: String? = nil) async throws -> [String] {
            let before = log.calls
            _ = try await (grader ?? makeGrader()).grade(classDirectory: classDir, outDirectory: out, only: only) { _ in }
            var after = log.calls
            for name in before { after.remove(at: after.firstIndex(of: name)!) }
            return after
        }
        let fm = FileManager.default
        #expect(try await regraded() == ["alice", "bob", "carol", "dave"])  // eve's zip never reaches the grader
        let reference = try snapshot(out)
        #expect(reference.keys.contains("alice/.belay-cache.json") && !reference.keys.contains("eve/.belay-cache.json"))
        #expect(try await regraded() == [])
        #expect(try snapshot(out) == reference)

        // A report cut short (a writer that did not rename, or a full disk) is not taken as done.
        let aliceReport = out.appendingPathComponent("alice/report.json")
        try reference["alice/report.json"]!.prefix(40).write(to: aliceReport)
        // A cache entry cut short.
        try reference["bob/.belay-cache.json"]!.prefix(30).write(to: out.appendingPathComponent("bob/.belay-cache.json"))
        // Killed while rewriting carol: one report already new, the others and the cache entry still old.
        try Data("<testsuites/>\n".utf8).write(to: out.appendingPathComponent("carol/junit.xml"))
        // Killed after dave's reports, before his cache entry.
        try fm.removeItem(at: out.appendingPathComponent("dave/.belay-cache.json"))
        #expect(try await regraded() == ["alice", "bob", "carol", "dave"])
        #expect(try snapshot(out) == reference)

        // Temporary files and scratch folders of a killed run are ignored and deleted; nobody is regraded.
        let marker = AtomicFile.temporaryMarker
        let leftovers = [
            out.appendingPathComponent(".gradebook.csv\(marker)\(deadPID)-aaaaaaaa"),
            out.appendingPathComponent("alice/.report.json\(marker)\(deadPID)-bbbbbbbb"),
            out.appendingPathComponent("bob/..belay-cache.json\(marker)\(deadPID)-cccccccc"),
        ]
        for url in leftovers { try Data("{\"half".utf8).write(to: url) }
        let scratch = fm.temporaryDirectory.appendingPathComponent("\(ClassGrader.scratchPrefix)\(deadPID)-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch.appendingPathComponent("carol"), withIntermediateDirectories: true)
        #expect(try await regraded() == [])
        #expect(try snapshot(out) == reference)
        #expect(leftovers.allSatisfy { !fm.fileExists(atPath: $0.path) })
        #expect(!fm.fileExists(atPath: scratch.path))

        // An entry of the old layout (no report hashes) is not trusted.
        let bobCache = out.appendingPathComponent("bob/.belay-cache.json")
        var entry = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: bobCache)) as? [String: Any])
        entry["files"] = nil
        entry["format"] = nil
        try JSONSerialization.data(withJSONObject: entry).write(to: bobCache)
        #expect(try await regraded() == ["bob"])
        #expect(try snapshot(out) == reference)

        // Reports with real durations are not reused for a reproducible run, nor the other way round.
        #expect(try await regraded(makeGrader(reproducible: false)).count == 4)
        #expect(try await regraded() == ["alice", "bob", "carol", "dave"])
        #expect(try snapshot(out) == reference)

        // `--only` never shows a damaged report as a result: that student is "not graded yet".
        try reference["bob/report.json"]!.prefix(40).write(to: out.appendingPathComponent("bob/report.json"))
        #expect(try await regraded(only: "alice") == [])  // alice is unchanged: taken from the cache
        let gradebook = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        #expect(gradebook.contains("bob,error,0,2,"), "\(gradebook)")
        #expect(gradebook.contains("not graded yet"))
        #expect(try await regraded() == ["bob"])
        #expect(try snapshot(out) == reference)
    }
}
