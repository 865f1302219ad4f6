import BelayTestSupport
import Foundation
import Testing

/// `belay grade --shard K/N` and `belay gradebook merge`: shards graded one after the other merge into exactly
/// the files of one run, and merges that would not add up to one class graded one way are refused.
@Suite("belay grade --shard and gradebook merge", .serialized, .timeLimit(.minutes(45)))
struct ShardMergeTests {
    // MARK: The class

    /// Ten students of CSV submissions on small generated data: full marks, a missing file, a junk archive,
    /// a NaN metric, a missing reflection, and a name outside ASCII. Split in 3 they fall 1 / 4 / 5, in 4
    /// 1 / 1 / 2 / 6 (see ``ShardTests`` in BelayBatchTests for the assignment).
    static func makeClass(in directory: TemporaryDirectory) throws -> (klass: URL, data: URL) {
        let data = directory.file("data"), reference = directory.file("ref"), klass = directory.file("class")
        let synth = try CLITests.belay(["data", "synth", "--out", data.path, "--proteins", "300", "--labeled", "120", "--dim", "16"])
        try #require(synth.status == 0, "\(synth.stderr)")
        let ref = try CLITests.belay(["reference", "--data", data.path, "--out", reference.path, "--seed", "42"])
        try #require(ref.status == 0, "\(ref.stderr)")
        let solution = CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline")
        let fm = FileManager.default
        try fm.copyItem(at: solution.appendingPathComponent("reflection.md"), to: reference.appendingPathComponent("reflection.md"))
        try fm.createDirectory(at: klass, withIntermediateDirectories: true)
        for name in ["alice", "bob", "dave", "erin", "frank", "grace", "heidi", "ivan", "zoë"] {
            try fm.copyItem(at: reference, to: klass.appendingPathComponent(name))
        }
        try Data("not a zip".utf8).write(to: klass.appendingPathComponent("carol.zip"))
        try fm.removeItem(at: klass.appendingPathComponent("bob/splits.csv"))
        try Data("name,value\nleakage_accuracy,NaN\n".utf8).write(to: klass.appendingPathComponent("dave/metrics.csv"))
        try fm.removeItem(at: klass.appendingPathComponent("frank/reflection.md"))
        try Data("## Q1\nNo idea.\n".utf8).write(to: klass.appendingPathComponent("heidi/reflection.md"))
        return (klass, data)
    }

    /// The class files a merge must reproduce byte for byte.
    static let classFiles = ["gradebook.csv", "item-analysis.csv", "junit.xml", "class.html"]

    /// Every file under `directory` by relative path (the shard manifest left out).
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = directory.resolvingSymlinksInPath().path + "/"
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let path = String(url.resolvingSymlinksInPath().path.dropFirst(root.count))
            if path != "belay-shard.json" { files[path] = try Data(contentsOf: url) }
        }
        return files
    }

    // MARK: Shards merge to one run

    @Test func threeShardsMergeToTheBytesOfOneRun() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let (klass, data) = try Self.makeClass(in: directory)
        let single = directory.file("single")
        let run = try CLITests.belay(["grade", klass.path, "--out", single.path, "--data", data.path, "--reproducible"])
        try #require(run.status == 0, "\(run.stdout)\n\(run.stderr)")

        var shards: [String] = []
        var graded: [String] = []
        for k in 1...3 {
            let out = directory.file("shard-\(k)")
            let shard = try CLITests.belay([
                "grade", klass.path, "--out", out.path, "--data", data.path, "--reproducible", "--shard", "\(k)/3",
                "--jobs", "1",
            ])
            try #require(shard.status == 0, "\(shard.stdout)\n\(shard.stderr)")
            #expect(shard.stdout.contains("in shard \(k)/3"), "\(shard.stdout)")
            let manifest = try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("belay-shard.json"))) as? [String: Any]
            #expect(manifest?["shard"] as? Int == k && manifest?["of"] as? Int == 3 && manifest?["classSize"] as? Int == 10)
            graded += (manifest?["students"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            shards.append(out.path)
        }
        #expect(graded.sorted() == ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "zoë"])

        let merged = directory.file("merged")
        // Given in any order.
        let merge = try CLITests.belay(["gradebook", "merge", shards[2], shards[0], shards[1], "--out", merged.path, "--reproducible"])
        try #require(merge.status == 0, "\(merge.stdout)\n\(merge.stderr)")
        #expect(merge.stdout.contains("10 students from 3 shards: 9 graded, 1 error or timeout"), "\(merge.stdout)")
        let expected = try Self.snapshot(single), actual = try Self.snapshot(merged)
        for file in Self.classFiles {
            #expect(actual[file] == expected[file], "\(file) differs from the single run")
        }
        // The students' folders are copied whole, so the merged folder is the single run's folder.
        #expect(actual.keys.sorted() == expected.keys.sorted())
        #expect(actual == expected, "merged files differ: \(actual.keys.filter { actual[$0] != expected[$0] }.sorted())")
        let gradebook = String(decoding: actual["gradebook.csv"] ?? Data(), as: UTF8.self)
        #expect(gradebook.contains("\ncarol,error,0,"), "\(gradebook)")
        #expect(gradebook.contains("\nzoë,graded,"), "\(gradebook)")
        // The class page covers all ten students (not the last shard's), linking to each page the merge copied.
        let page = String(decoding: actual["class.html"] ?? Data(), as: UTF8.self)
        #expect(page.contains("10 students: <span class=\"badge passed\">9 graded</span> <span class=\"badge error\">1 error</span>"), "\(page.prefix(2000))")
        #expect(page.contains("<a href=\"zo%C3%AB/report.html\">zoë</a>") && actual["zoë/report.html"] != nil)
        #expect(page.contains("<a href=\"carol/report.html\">carol</a>") && actual["carol/report.html"] != nil)

        // A complete `belay grade` folder: grading the class into it again regrades nobody.
        let again = try CLITests.belay(["grade", klass.path, "--out", merged.path, "--data", data.path, "--reproducible"])
        #expect(again.status == 0)
        #expect(again.stdout.components(separatedBy: "(unchanged, cached)").count - 1 == 9, "\(again.stdout)")
        #expect(try Self.snapshot(merged) == expected)
    }

    // MARK: Refusals

    @Test(arguments: ["0/2", "3/2", "x/y", "2", "1/0", "2/1"])
    func aShardThatIsNotKOfNIsAUsageError(_ value: String) throws {
        let run = try CLITests.belay(["grade", "/nonexistent", "--out", "/tmp/belay-never", "--shard", value])
        #expect(run.status == 64)
        #expect(run.stderr.contains("invalid shard '\(value)'"), "\(run.stderr)")
    }

    @Test func mergesThatDoNotAddUpToOneClassAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let (klass, data) = try Self.makeClass(in: directory)
        func grade(_ out: String, _ extra: [String]) throws -> String {
            let path = directory.file(out).path
            let run = try CLITests.belay(["grade", klass.path, "--out", path, "--data", data.path, "--reproducible"] + extra)
            try #require(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            return path
        }
        func refused(_ folders: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let out = directory.file("merged-\(UUID().uuidString)")
            let run = try CLITests.belay(["gradebook", "merge"] + folders + ["--out", out.path])
            #expect(run.status == 64, "\(run.stdout)", sourceLocation: sourceLocation)
            #expect(run.stderr.contains(message), "\(run.stderr)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: out.path), "a refused merge wrote files", sourceLocation: sourceLocation)
        }
        let s1 = try grade("s1", ["--shard", "1/3"]), s2 = try grade("s2", ["--shard", "2/3"])
        let s3 = try grade("s3", ["--shard", "3/3"])

        try refused([s1, s3], "shard 2/3 missing (given: 1/3, 3/3)")
        try refused([s1, s2], "shard 3/3 missing")
        let copy = directory.file("s1-copy").path
        try FileManager.default.copyItem(atPath: s1, toPath: copy)
        try refused([s1, s2, s3, copy], "shard 1/3 is given twice")
        try refused([s1, s2, s2], "given twice")
        let half = try grade("half", ["--shard", "1/2"])
        try refused([s1, s2, s3, half], "the split differs")

        // Another rubric (one comment line changes its hash) for one shard.
        let rubric = directory.file("rubric.yaml")
        var text = try String(
            contentsOf: CLITests.root.appendingPathComponent("rubrics/019-leaky-pipeline/rubric.yaml"), encoding: .utf8)
        text += "\n# section B\n"
        try Data(text.utf8).write(to: rubric)
        let other = try grade("s2-other-rubric", ["--shard", "2/3", "--rubric", rubric.path])
        try refused([s1, other, s3], "the rubric (belay.rubric.sha256) differs")

        // A student graded again in a later, changed class folder: the class no longer matches.
        try FileManager.default.copyItem(at: klass.appendingPathComponent("alice"), to: klass.appendingPathComponent("mallory"))
        let later = try grade("s3-later", ["--shard", "3/3"])
        try refused([s1, s2, later], "the class differs")
        try FileManager.default.removeItem(at: klass.appendingPathComponent("mallory"))

        // Whole-class folders (no manifests) holding the same student twice, and a mix of kinds.
        let whole = try grade("whole", [])
        let wholeCopy = directory.file("whole-copy").path
        try FileManager.default.copyItem(atPath: whole, toPath: wholeCopy)
        try refused([whole, wholeCopy], "student 'alice' is also in")
        try refused([s1, s2, s3, whole], "has no belay-shard.json")

        // Reports edited to claim another Belay version, in a folder without a manifest.
        let section = directory.file("section").path
        try FileManager.default.createDirectory(atPath: section, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: wholeCopy + "/zoë", toPath: section + "/zoë")
        let report = URL(fileURLWithPath: section + "/zoë/report.json")
        let edited = try String(contentsOf: report, encoding: .utf8).replacingOccurrences(of: "0.1.0", with: "0.0.9")
        try Data(edited.utf8).write(to: report)
        let rest = directory.file("rest").path
        try FileManager.default.copyItem(atPath: whole, toPath: rest)
        try FileManager.default.removeItem(atPath: rest + "/zoë")
        try refused([rest, section], "graded with a different belay.version")

        // The output folder cannot be an input.
        let run = try CLITests.belay(["gradebook", "merge", s1, s2, s3, "--out", s2])
        #expect(run.status == 64 && run.stderr.contains("the output folder is one of the folders to merge"), "\(run.stderr)")
        #expect(try CLITests.belay(["grade", klass.path, "--out", "/tmp/x", "--shard", "1/2", "--only", "alice"]).status == 64)
    }
}
