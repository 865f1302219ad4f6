@testable import BelayBatch
import BelayGrading
import BelayRoute
import BelayTestSupport
import Foundation
import Testing

/// ``GradebookMerge`` on the miniature route of ``ClassGraderTests``: graded, error (zip slip) and timeout rows all
/// survive sharding and merging, byte for byte.
@Suite(.serialized) struct GradebookMergeTests {
    static let classFiles = ["gradebook.csv", "item-analysis.csv", "junit.xml", "class.html"]

    func grader(_ gate: Gate, rubric: String = "r1") -> ClassGrader {
        ClassGrader(
            grader: FakeGrader(log: CallLog(), gate: gate), rubricSHA: rubric, belayVersion: "0.1.0", jobs: 2,
            timeoutSeconds: 0.4, reproducible: true
        ).slowTimesOut()
    }

    func bytes(_ folder: URL) throws -> [String: Data] {
        try Dictionary(uniqueKeysWithValues: Self.classFiles.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    @Test(arguments: [1, 2, 3, 5])
    func shardsMergeToTheSingleRun(count: Int) async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let gate = Gate()
        defer { gate.release(20) }
        let classDir = try makeClass(in: temp.url)
        let single = temp.file("single")
        let all = try await grader(gate).grade(classDirectory: classDir, outDirectory: single) { _ in }
        #expect(all.map(\.status) == [.graded, .graded, .graded, .error, .timeout])

        var folders: [URL] = []
        var names: [String] = []
        for k in 1...count {
            let out = temp.file("shard-\(k)")
            let part = try await grader(gate).grade(
                classDirectory: classDir, outDirectory: out, shard: try Shard(index: k, count: count)) { _ in }
            #expect(part.allSatisfy { Shard.number(of: $0.name, count: count) == k })
            names += part.map(\.name)
            folders.append(out)
        }
        #expect(names.sorted() == all.map(\.name))
        let merged = temp.file("merged")
        let summary = try GradebookMerge.merge(folders.reversed(), into: merged, reproducible: true)
        #expect(summary.results == all)
        #expect(summary.shards.map(\.index) == Array(1...count))
        #expect(try bytes(merged) == bytes(single))
    }

    /// Without manifests (whole-class folders), statuses come from the cache entries and the stand-in reports.
    @Test func wholeClassFoldersMergeWithoutManifests() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let gate = Gate()
        defer { gate.release(20) }
        let classDir = try makeClass(in: temp.url)
        let single = temp.file("single")
        let all = try await grader(gate).grade(classDirectory: classDir, outDirectory: single) { _ in }
        let merged = temp.file("merged")
        let summary = try GradebookMerge.merge([single], into: merged, reproducible: true)
        #expect(summary.results == all)
        #expect(summary.shards.isEmpty)
        #expect(try bytes(merged) == bytes(single))
    }

    @Test func shardsOfAnotherRubricAreRefusedBeforeAnythingIsWritten() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let gate = Gate()
        defer { gate.release(20) }
        let classDir = try makeClass(in: temp.url)
        let one = temp.file("one"), two = temp.file("two")
        _ = try await grader(gate).grade(classDirectory: classDir, outDirectory: one, shard: try Shard(index: 1, count: 2)) { _ in }
        _ = try await grader(gate, rubric: "r2").grade(
            classDirectory: classDir, outDirectory: two, shard: try Shard(index: 2, count: 2)) { _ in }
        let merged = temp.file("merged")
        #expect {
            try GradebookMerge.merge([one, two], into: merged, reproducible: true)
        } throws: { error in
            "\(error)".contains("the rubric (belay.rubric.sha256) differs")
        }
        #expect(!FileManager.default.fileExists(atPath: merged.path))
    }
}
