@testable import BelayBatch
import BelayGrading
import BelayReports
import BelayRoute
import BelayTestSupport
import Foundation
import Testing
import ZIPFoundation

/// Counts calls across concurrent grading tasks.
final class CallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func record(_ name: String) { lock.withLock { names.append(name) } }
    var calls: [String] { lock.withLock { names.sorted() } }
}

/// Holds the `slow` student's grading until the test lets go (or 10 minutes pass).
final class Gate: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = 0
    /// Blocks the calling thread without ever suspending, like a CPU-bound computation.
    func block() {
        _ = semaphore.wait(timeout: .now() + 600)
        lock.withLock { finished += 1 }
    }
    var finishedCount: Int { lock.withLock { finished } }
    func release(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
}

/// A route in miniature: one check reading `answer.txt`; the student `slow` blocks its thread without
/// ever suspending, like a runaway reference computation.
struct FakeGrader: SubmissionGrader {
    let log: CallLog
    var gate = Gate()
    var routeID: String { "019-leaky-pipeline" }
    var routeTitle: String { "The Leaky Pipeline" }

    func grade(submissionAt directory: URL, name: String, sha256: String) async -> GradeReport {
        log.record(name)
        if name == "slow" { gate.block() }
        let answer = (try? String(contentsOf: directory.appendingPathComponent("answer.txt"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let outcome: Outcome = answer == "42" ? .passed : answer == nil ? .error : .failed
        let result = CheckResult(
            id: "ex0.answer", title: "the answer is right", exercise: "ex0", outcome: outcome,
            pointsEarned: outcome == .passed ? 2 : 0, pointsPossible: 2,
            message: answer.map { "answered \($0)" } ?? "answer.txt is missing")
        return GradeReport(
            submissionName: name, route: routeID, routeTitle: routeTitle, results: [result],
            exercises: [ExerciseSpec(id: "ex0", title: "Exercise 0")], audience: "instructor")
    }
}

extension ClassGrader {
    /// The same grader with its time limit as an event instead of a clock: `slow`'s time is up at once, everyone
    /// else's never (the limit is cancelled when they finish), so no test depends on this machine's speed.
    func slowTimesOut() -> ClassGrader {
        var grader = self
        grader.timeLimit = { name in
            if name != "slow" { try? await Task.sleep(for: .seconds(3600)) }
        }
        return grader
    }
}

func makeZip(_ url: URL, entries: [(String, String)]) throws {
    let archive = try Archive(url: url, accessMode: .create)
    for (path, text) in entries {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}

func makeClass(in root: URL) throws -> URL {
    let classDir = root.appendingPathComponent("class")
    let fm = FileManager.default
    for (name, answer) in [("alice", "42"), ("slow", "42"), ("dave", "41")] {
        try fm.createDirectory(at: classDir.appendingPathComponent(name), withIntermediateDirectories: true)
        try Data(answer.utf8).write(to: classDir.appendingPathComponent("\(name)/answer.txt"))
    }
    try fm.createDirectory(at: classDir.appendingPathComponent(".git"), withIntermediateDirectories: true)
    try Data("ignored".utf8).write(to: classDir.appendingPathComponent("notes.txt"))
    try makeZip(classDir.appendingPathComponent("bob.zip"), entries: [("bob/answer.txt", "42\n")])
    try makeZip(classDir.appendingPathComponent("eve.zip"), entries: [("answer.txt", "42"), ("../evil", "pwned")])
    return classDir
}

@Suite(.serialized) struct ClassGraderTests {
    @Test func gradesAClassWithTimeoutsBadZipsCachingAndOnly() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let classDir = try makeClass(in: temp.url)
        let out = temp.url.appendingPathComponent("out")
        let log = CallLog()
        let gate = Gate()
        defer { gate.release(10) }
        let grader = ClassGrader(
            grader: FakeGrader(log: log, gate: gate), rubricSHA: "r1", belayVersion: "0.1.0", jobs: 2, timeoutSeconds: 0.4,
            reproducible: true).slowTimesOut()
        let lines = CallLog()

        let results = try await grader.grade(classDirectory: classDir, outDirectory: out) { lines.record($0) }
        // The batch finished although the slow grade is still blocking its thread (no wall-clock bound here:
        // timings belong to benchmarks, and this machine may be busy with other tests).
        #expect(gate.finishedCount == 0)

        #expect(results.map(\.name) == ["alice", "bob", "dave", "eve", "slow"])
        #expect(results.map(\.status) == [.graded, .graded, .graded, .error, .timeout])
        #expect(results[0].message == "2/2" && results[2].message == "0/2")
        #expect(results[3].message.contains("eve.zip: entry '../evil': has a \"..\" path component (zip slip)"))
        #expect(results[4].message == "grading did not finish within 0.4 s")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.temporaryDirectory.appendingPathComponent("evil").path))
        #expect(lines.calls.count == 5)
        #expect(lines.calls.contains("[5/5] slow: timeout: grading did not finish within 0.4 s")
            || lines.calls.contains { $0.hasSuffix("slow: timeout: grading did not finish within 0.4 s") })
        #expect(lines.calls.contains { $0.hasSuffix("] bob: 2/2") })

        // Outputs.
        for name in ["alice", "bob", "dave", "eve", "slow"] {
            for file in ["junit.xml", "report.txt", "report.json", "results.json", "report.html"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name)/\(file)").path), "\(name)/\(file)")
            }
        }
        let classPage = try String(contentsOf: out.appendingPathComponent("class.html"), encoding: .utf8)
        #expect(classPage.contains("<a href=\"bob/report.html\">bob</a>") && classPage.contains("1 timeout"))
        let gradebook = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        let rows = gradebook.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.map { $0.prefix { $0 != "," } } == ["student", "points possible", "alice", "bob", "dave", "eve", "slow"])
        #expect(rows[5].hasPrefix("eve,error,0,2,"))
        #expect(rows[6].hasPrefix("slow,timeout,0,2,"))
        let combined = try String(contentsOf: out.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(combined.contains("classname=\"alice.route019.ex0\""))
        #expect(combined.contains("classname=\"slow.route019.submission\""))
        // Per-student files carry the student too, so that uploading them together (GitLab) keeps every case.
        let bobJUnit = try String(contentsOf: out.appendingPathComponent("bob/junit.xml"), encoding: .utf8)
        #expect(bobJUnit.contains("classname=\"bob.route019.ex0\""))
        #expect(bobJUnit.contains("<testsuite name=\"bob: route019.ex0"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("item-analysis.csv").path))
        let bobReport = try JSONReport.decode(Data(contentsOf: out.appendingPathComponent("bob/report.json")))
        #expect(bobReport.property("belay.rubric.sha256") == "r1")
        #expect(bobReport.property("belay.submission.sha256")?.count == 64)
        let firstGradebook = gradebook

        // Second run: unchanged students come from the cache; the timed-out one is retried.
        let callsBefore = log.calls.count
        let again = try await grader.grade(classDirectory: classDir, outDirectory: out) { _ in }
        #expect(again.map(\.status) == results.map(\.status))
        #expect(log.calls.count - callsBefore == 1)  // only "slow" graded again
        #expect(try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8) == firstGradebook)

        // A changed submission is regraded; `force` regrades everyone that can be graded.
        try Data("42".utf8).write(to: classDir.appendingPathComponent("dave/answer.txt"))
        let changed = try await grader.grade(classDirectory: classDir, outDirectory: out) { _ in }
        #expect(changed[2].message == "2/2")
        #expect(log.calls.count - callsBefore == 3)  // slow again + dave
        _ = try await grader.grade(classDirectory: classDir, outDirectory: out, force: true) { _ in }
        #expect(log.calls.count - callsBefore == 3 + 4)  // alice, bob, dave, slow (eve's zip never reaches the grader)

        // A new rubric invalidates the cache.
        let newRubric = ClassGrader(
            grader: FakeGrader(log: log, gate: gate), rubricSHA: "r2", belayVersion: "0.1.0", jobs: 2, timeoutSeconds: 0.4,
            reproducible: true).slowTimesOut()
        // `only` regrades one student; the others come from their cached reports.
        let before = log.calls.count
        let onlyBob = try await newRubric.grade(classDirectory: classDir, outDirectory: out, only: "bob") { _ in }
        #expect(log.calls.count - before == 1)
        #expect(onlyBob.map(\.name) == ["alice", "bob", "dave", "eve", "slow"])
        #expect(onlyBob[0].status == .graded && onlyBob[0].report != nil)
        #expect(onlyBob[2].message == "2/2")
        let onlyBook = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        #expect(onlyBook.contains("alice,graded,2,2,"))
        #expect(onlyBook.contains("dave,graded,2,2,"))
        await #expect(throws: BatchError.self) {
            try await newRubric.grade(classDirectory: classDir, outDirectory: out, only: "nobody") { _ in }
        }
    }

    @Test func zipSafety() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let fm = FileManager.default
        // Too many bytes.
        let big = temp.file("big.zip")
        try makeZip(big, entries: [("a.txt", String(repeating: "x", count: 5000))])
        let dest = temp.file("dest")
        try fm.createDirectory(at: dest, withIntermediateDirectories: true)
        let error = try #require(throws: SubmissionArchiveError.self) {
            try SubmissionArchive.extract(big, to: dest, limits: ZipLimits(maxEntries: 10, maxTotalBytes: 1000))
        }
        #expect(error.description.contains("over the limit of 1000 bytes"))
        // Absolute path.
        let absolute = temp.file("abs.zip")
        try makeZip(absolute, entries: [("/etc/passwd-belay", "x")])
        let dest2 = temp.file("dest2")
        try fm.createDirectory(at: dest2, withIntermediateDirectories: true)
        #expect(throws: SubmissionArchiveError.self) {
            try SubmissionArchive.extract(absolute, to: dest2, limits: ZipLimits())
        }
        // Not a zip at all.
        let junk = temp.file("junk.zip")
        try Data("not a zip".utf8).write(to: junk)
        #expect(throws: SubmissionArchiveError.self) {
            try SubmissionArchive.extract(junk, to: dest2, limits: ZipLimits())
        }
        // A wrapped folder is unwrapped, __MACOSX ignored.
        let wrapped = temp.file("w.zip")
        try makeZip(wrapped, entries: [("carol/answer.txt", "42"), ("__MACOSX/carol/._answer.txt", "junk")])
        let dest3 = temp.file("dest3")
        try fm.createDirectory(at: dest3, withIntermediateDirectories: true)
        let root = try SubmissionArchive.extract(wrapped, to: dest3, limits: ZipLimits())
        #expect(root.lastPathComponent == "carol")
        #expect(try String(contentsOf: root.appendingPathComponent("answer.txt"), encoding: .utf8) == "42")
        #expect(!fm.fileExists(atPath: dest3.appendingPathComponent("__MACOSX").path))
    }

    @Test func submissionHashDependsOnPathsAndContentsOnly() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let fm = FileManager.default
        func tree(_ name: String, _ files: [String: String]) throws -> URL {
            let dir = temp.file(name)
            for (path, text) in files {
                let url = dir.appendingPathComponent(path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return dir
        }
        let a = try SubmissionHash.sha256(of: tree("a", ["x.csv": "1,2", "sub/y.md": "hi"]))
        let b = try SubmissionHash.sha256(of: tree("b", ["sub/y.md": "hi", "x.csv": "1,2"]))
        let c = try SubmissionHash.sha256(of: tree("c", ["x.csv": "1,3", "sub/y.md": "hi"]))
        let d = try SubmissionHash.sha256(of: tree("d", ["y.csv": "1,2", "sub/y.md": "hi"]))
        #expect(a == b)
        #expect(a != c && a != d)
    }
}
