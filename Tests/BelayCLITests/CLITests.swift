import BelayTestSupport
import Foundation
import Testing

/// End-to-end tests of the built `belay` binary: arguments, exit codes, files written, and robustness to hostile
/// submissions.
@Suite("belay command line", .serialized)
struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `belay` every end-to-end suite runs: `BELAY_E2E_BELAY` when set (CI sets it to its one static release
    /// build, made before the suites start, with `belay-sandbox-init` and the resource bundles beside it), else
    /// the debug one built next to the test bundle (``debugBinary``).
    static var binary: URL {
        if let given = ProcessInfo.processInfo.environment["BELAY_E2E_BELAY"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        return debugBinary
    }

    /// The debug `belay` built next to the test bundle: the Swift runtime is a shared library there, which one
    /// test needs (a bundle of such a build is refused).
    static var debugBinary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("belay"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("belay"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("belay"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `belay` (``binary`` unless another is given) with `arguments`, colour off.
    static func belay(
        _ arguments: [String], environment: [String: String] = [:], binary: URL = CLITests.binary
    ) throws -> ChildProcess.Run {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // The tests' own result store (in the temporary folder), never the user's ~/.cache/belay.
        env["BELAY_CACHE_DIR"] = resultStore.path
        for (k, v) in environment { env[k] = v }
        return try ChildProcess.run(binary, arguments: arguments, environment: env)
    }

    /// The result store of this test process's belay runs.
    static let resultStore = FileManager.default.temporaryDirectory.appendingPathComponent("belay-test-store-\(getpid())")

    /// A copy of the CSV reference solution in a temporary folder.
    static func solutionCopy(in directory: TemporaryDirectory, name: String = "student") throws -> URL {
        let target = directory.file(name)
        try FileManager.default.copyItem(at: root.appendingPathComponent("solutions/019-leaky-pipeline"), to: target)
        try? FileManager.default.removeItem(at: target.appendingPathComponent("swift"))
        return target
    }

    static let schema = root.appendingPathComponent("Tests/BelayGradingTests/Schemas/jenkins-junit-10.xsd")

    /// Validates a JUnit file against the committed Jenkins schema with xmllint (`scripts/setup` installs it;
    /// its absence is a recorded failure, never a silent pass).
    static func validate(_ junit: URL) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else {
            Issue.record("xmllint is missing: run scripts/setup (Debian package libxml2-utils)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", schema.path, junit.path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(junit.lastPathComponent) does not validate: \(message)")
    }

    /// Reruns are kept between runs in the result store (BELAY_CACHE_DIR), and the second run prints the same;
    /// --no-cache and BELAY_CACHE_DIR=off keep nothing.
    @Test func rerunsAreKeptBetweenRunsUnlessTurnedOff() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let solution = Self.root.appendingPathComponent("solutions/019-leaky-pipeline").path
        func entries(_ store: URL) -> [String] {
            ((try? FileManager.default.subpathsOfDirectory(atPath: store.path)) ?? []).filter { $0.split(separator: "/").count == 3 }
        }
        let store = directory.file("store")
        let first = try Self.belay(["check", solution, "--instructor"], environment: ["BELAY_CACHE_DIR": store.path])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let kept = entries(store)
        #expect(kept.count >= 4, "\(kept)")
        let second = try Self.belay(["check", solution, "--instructor"], environment: ["BELAY_CACHE_DIR": store.path])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        #expect(entries(store) == kept)
        let unused = directory.file("unused")
        let none = try Self.belay(["check", solution, "--instructor", "--no-cache"], environment: ["BELAY_CACHE_DIR": unused.path])
        #expect(none.status == 0 && none.stdout == first.stdout)
        let off = try Self.belay(["check", solution, "--instructor"], environment: ["BELAY_CACHE_DIR": "off", "HOME": unused.path])
        #expect(off.status == 0 && off.stdout == first.stdout)
        #expect(!FileManager.default.fileExists(atPath: unused.path))
    }

    @Test func checkOnTheReferenceSolutionExitsZeroAndIsHonestAboutHiddenChecks() throws {
        let run = try Self.belay(["check", Self.root.appendingPathComponent("solutions/019-leaky-pipeline").path])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let words = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("3 hidden checks worth 6 more points"), "\(run.stdout)")
        #expect(!run.stdout.contains("\u{1B}["), "no colour when NO_COLOR is set / not a terminal")
    }

    /// In GitHub Actions, `check` writes an annotation per failing check that names the check and its file, and
    /// appends the report to the step summary, with the student's text made harmless.
    @Test func githubActionsGetAnnotationsAndAStepSummary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let student = try Self.solutionCopy(in: directory)
        try Data("name,value\nleakage_accuracy,NaN\n".utf8).write(to: student.appendingPathComponent("metrics.csv"))
        try Data("## Q1\nsee | this \u{202E}txt.exe <script>\n".utf8).write(to: student.appendingPathComponent("reflection.md"))
        let summary = directory.file("summary.md")
        try Data("earlier step\n".utf8).write(to: summary)
        let run = try Self.belay(
            ["check", student.path], environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        #expect(run.status == 1)
        let annotations = run.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        #expect(annotations.contains { $0.contains("file=\(student.path)/metrics.csv,title=ex3.metrics.readable") }, "\(annotations)")
        #expect(annotations.contains { $0.contains("file=\(student.path)/reflection.md,title=ex4.") }, "\(annotations)")
        #expect(!annotations.contains { $0.contains("ex0.") }, "a passing check was annotated")
        #expect(annotations.allSatisfy { !$0.dropFirst(2).contains("\u{202E}") })
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("earlier step\n## Belay: The Leaky Pipeline, student"))
        #expect(text.contains("| ❌ | `ex3.metrics.readable`"))
        #expect(text.contains("| ✅ | `ex0.features.readable`"))
        #expect(!text.contains("<script>") && !text.contains("\u{202E}"))
    }

    @Test func brokenSubmissionExitsOneWithValidReproducibleReports() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let student = try Self.solutionCopy(in: directory)
        // Hostile text: control characters, a CDATA terminator, invalid UTF-8 and a megabyte of answer.
        var reflection = Data("## Q1\nLeakage \u{1B}[31m]]> is when test data reach training.\u{7}\n## Q2\n".utf8)
        reflection.append(contentsOf: [0xff, 0xfe, 0x41])
        reflection.append(Data(String(repeating: "homology ", count: 120_000).utf8))
        try reflection.write(to: student.appendingPathComponent("reflection.md"))
        try Data("name,value\nleakage_accuracy,NaN\n".utf8).write(to: student.appendingPathComponent("metrics.csv"))
        var outputs: [Data] = []
        for i in 0..<2 {
            let junit = directory.file("junit-\(i).xml"), json = directory.file("report-\(i).json")
            let gradescope = directory.file("results-\(i).json")
            let run = try Self.belay([
                "check", student.path, "--junit", junit.path, "--json", json.path, "--gradescope", gradescope.path,
                "--reproducible",
            ])
            #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("metrics.csv"))
            try Self.validate(junit)
            outputs.append(try Data(contentsOf: junit) + Data(contentsOf: json) + Data(contentsOf: gradescope))
            let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: gradescope)) as? [String: Any]
            #expect(parsed?["tests"] != nil)
        }
        #expect(outputs[0] == outputs[1], "--reproducible reports differ between runs")
    }

    @Test func usageErrorsExit64() throws {
        #expect(try Self.belay(["check"]).status == 64)
        #expect(try Self.belay(["reference", "--out", "/tmp/x", "--threshold", "2"]).status == 64)
        #expect(try Self.belay(["check", "/nonexistent/submission"]).status == 64)
        #expect(try Self.belay(["grade", "/nonexistent", "--out", "/tmp/y"]).status == 64)
        let badRubric = try TemporaryDirectory()
        defer { badRubric.cleanup() }
        try Data("route: x\nchecks:\n  - id: [\n".utf8).write(to: badRubric.file("r.yaml"))
        let run = try Self.belay([
            "check", Self.root.appendingPathComponent("solutions/019-leaky-pipeline").path, "--rubric",
            badRubric.file("r.yaml").path,
        ])
        #expect(run.status == 64)
        #expect(run.stderr.contains("r.yaml:"), "the rubric error names the file and line: \(run.stderr)")
    }

    @Test func referenceAndDataCommandsWriteTheirFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let synth = try Self.belay([
            "data", "synth", "--out", directory.file("data").path, "--proteins", "400", "--labeled", "150", "--dim", "32",
        ])
        #expect(synth.status == 0, "\(synth.stderr)")
        let reference = try Self.belay([
            "reference", "--data", directory.file("data").path, "--out", directory.file("ref").path, "--seed", "3",
        ])
        #expect(reference.status == 0, "\(reference.stderr)")
        #expect(reference.stdout.contains("Clusters at cosine > 0.8 (from the route's default)"))
        for file in ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv"] {
            #expect(FileManager.default.fileExists(atPath: directory.file("ref/\(file)").path), "\(file) missing")
        }
        let info = try Self.belay(["data", "info", "--thresholds", "0.8", "0.9"])
        #expect(info.status == 0)
        #expect(info.stdout.contains("recommends a threshold of 0.9"))
        // Every route describes the dataset; a route without a thresholds param says it left the flag out.
        #expect(info.stdout.contains("Left out for this route, which has no such param: thresholds"), "\(info.stdout)")
        let unknown = try Self.belay(["data", "info", "--param", "no_such_param=1"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'no_such_param' is not known to any route"), "\(unknown.stderr)")
        // The reference submission of generated data passes its own visible checks on that data.
        try FileManager.default.copyItem(
            at: Self.root.appendingPathComponent("solutions/019-leaky-pipeline/reflection.md"),
            to: directory.file("ref/reflection.md"))
        let check = try Self.belay(["check", directory.file("ref").path, "--data", directory.file("data").path, "--instructor"])
        #expect(check.status == 0, "\(check.stdout)")
    }

    @Test func gradeWritesTheGradebookAndSkipsUnchangedStudents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let klass = directory.file("class")
        try FileManager.default.createDirectory(at: klass, withIntermediateDirectories: true)
        _ = try Self.solutionCopy(in: directory, name: "class/alice")
        let bob = try Self.solutionCopy(in: directory, name: "class/bob")
        try FileManager.default.removeItem(at: bob.appendingPathComponent("splits.csv"))
        try Data("not a zip".utf8).write(to: klass.appendingPathComponent("carol.zip"))
        try Data("notes".utf8).write(to: klass.appendingPathComponent("README.txt"))
        let out = directory.file("out")
        let first = try Self.belay(["grade", klass.path, "--out", out.path, "--jobs", "2", "--reproducible"])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let gradebook = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        let lines = gradebook.split(whereSeparator: \.isNewline)
        #expect(lines.count == 5, "\(gradebook)")  // header, points possible, alice, bob, carol
        #expect(lines.contains { $0.hasPrefix("carol,error") })
        #expect(lines.contains { $0.hasPrefix("alice,graded") })
        try Self.validate(out.appendingPathComponent("junit.xml"))
        try Self.validate(out.appendingPathComponent("alice/junit.xml"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("item-analysis.csv").path))
        let second = try Self.belay(["grade", klass.path, "--out", out.path, "--reproducible"])
        #expect(second.stdout.contains("cached"), "\(second.stdout)")
        #expect(try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8) == gradebook)
    }
    /// Generated course data in `directory/data`, and a copy with its embeddings rewritten by `python` (run with
    /// `vectors`, a dict from the generated ids to float32 arrays, `ids` sorted, and `f` open for writing).
    static func courseData(in directory: TemporaryDirectory, rewrite python: String? = nil, name: String = "bad") throws -> URL {
        let data = directory.file("data")
        if !FileManager.default.fileExists(atPath: data.path) {
            let synth = try belay(["data", "synth", "--out", data.path, "--proteins", "200", "--labeled", "80", "--dim", "16"])
            #expect(synth.status == 0, "\(synth.stderr)")
        }
        guard let python else { return data }
        let folder = directory.file(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: data.appendingPathComponent("mtb_with_localization.xlsx"), to: folder.appendingPathComponent("mtb_with_localization.xlsx"))
        let body = python.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        _ = try Python.output(script: """
            import sys, gzip, io, h5py, numpy as np
            src = h5py.File(io.BytesIO(gzip.open(sys.argv[1]).read()), "r")
            ids = sorted(src.keys())
            vectors = {k: src[k][()] for k in ids}
            with h5py.File(sys.argv[2], "w") as f:
            \(body)
            """, arguments: [data.appendingPathComponent("mtb_full.h5.gz").path, folder.appendingPathComponent("embeddings.h5").path])
        return folder
    }

    /// The dataset summary a command printed: from `Dataset:` to the first blank line.
    static func datasetSummary(_ stdout: String) -> String {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Dataset: ") }) else { return "" }
        return lines[start...].prefix { !$0.isEmpty }.joined(separator: "\n")
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func checkAndGradePrintTheSameDatasetSummary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        // Lower-case ids under a group: read, matched, and said so.
        let data = try Self.courseData(in: directory, rewrite: """
            g = f.create_group("embeddings")
            for k in ids: g[k.lower()] = vectors[k]
            """, name: "grouped")
        let klass = directory.file("class")
        try FileManager.default.createDirectory(at: klass, withIntermediateDirectories: true)
        let check = try Self.belay(["check", Self.root.appendingPathComponent("solutions/019-leaky-pipeline").path, "--data", data.path])
        let grade = try Self.belay(["grade", klass.path, "--out", directory.file("out").path, "--data", data.path])
        #expect(grade.status == 0, "\(grade.stdout)\n\(grade.stderr)")
        let summary = Self.datasetSummary(check.stdout)
        #expect(summary.contains("one dataset per id under /embeddings"), "\(check.stdout)")
        #expect(summary.contains("ignoring case"), "\(summary)")
        #expect(summary.contains("Ids: "), "\(summary)")
        #expect(Self.datasetSummary(grade.stdout) == summary, "\(grade.stdout)")
    }

    @Test(
        .enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"),
        arguments: [
        ("ids that do not line up", "for k in ids: f['P_' + k] = vectors[k]", ["fewer than half", "embeddings.h5 has `P_"]),
        ("a NaN", "for k in ids: f[k] = np.where(np.arange(16) == 2, np.float32('nan'), vectors[k]).astype(np.float32)", ["holds NaN at position 2 of 16"]),
        ("width 0", "f['X'] = np.zeros((len(ids), 0), dtype=np.float32)\nf['ids'] = np.array(ids, dtype='S16')", ["width 0"]),
        ("an ambiguous file", "f['X'] = np.stack([vectors[k] for k in ids])\nf['ids'] = np.array(ids, dtype='S16')\nf[ids[0]] = vectors[ids[0]]", ["is ambiguous"]),
    ])
    func badDataStopsCheckAndGradeWithExit64(kind: String, python: String, words: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let bad = try Self.courseData(in: directory, rewrite: python)
        let check = try Self.belay(["check", Self.root.appendingPathComponent("solutions/019-leaky-pipeline").path, "--data", bad.path])
        #expect(check.status == 64, "\(kind): \(check.stdout)\n\(check.stderr)")
        #expect(check.stderr.contains("cannot load the dataset"), "\(check.stderr)")
        for word in words { #expect(check.stderr.contains(word), "\(kind): \(check.stderr)") }
        let klass = directory.file("class")
        try FileManager.default.createDirectory(at: klass, withIntermediateDirectories: true)
        let grade = try Self.belay(["grade", klass.path, "--out", directory.file("out").path, "--data", bad.path])
        #expect(grade.status == 64, "\(kind): \(grade.stdout)\n\(grade.stderr)")
    }
}
