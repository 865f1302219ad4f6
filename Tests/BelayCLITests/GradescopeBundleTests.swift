import BelayTestSupport
import Foundation
import Testing

/// `belay gradescope bundle`: the zip Gradescope's autograder specification asks for, unzipped into a scratch
/// folder laid out like Gradescope's `/autograder` (`source/`, `submission/`, `results/`, `run_autograder`), set up
/// and run the way Gradescope does, with `results/results.json` parsed and checked.
///
/// The end-to-end test needs a `belay` built with `--static-swift-stdlib`, which takes minutes: it uses
/// `BELAY_GRADESCOPE_BELAY` (a path to one) when set, else builds one once with `scripts/build-static-belay`
/// (its own build folder, `.build/static`, used by no other suite) when `BELAY_REQUIRE_GRADESCOPE_BUNDLE=1` (set by
/// `.ci/run`), and otherwise skips, saying so.
@Suite("Gradescope autograder bundle", .serialized, .timeLimit(.minutes(45)))
struct GradescopeBundleTests {
    static let environment = ProcessInfo.processInfo.environment
    static var isRequired: Bool { environment["BELAY_REQUIRE_GRADESCOPE_BUNDLE"] == "1" }
    static var canRun: Bool { isRequired || environment["BELAY_GRADESCOPE_BELAY"].map { !$0.isEmpty } == true }

    /// The static `belay`: given, or built once for the whole test process.
    static let staticBelay: Result<URL, BuildFailure> = {
        if let given = environment["BELAY_GRADESCOPE_BELAY"], !given.isEmpty {
            return .success(URL(fileURLWithPath: given))
        }
        do {
            let script = CLITests.root.appendingPathComponent("scripts/build-static-belay")
            var env = environment
            env.removeValue(forKey: "SWIFTPM_PACKAGE_PATH")
            let started = Date()
            let run = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), arguments: [script.path], environment: env)
            let folder = run.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
            guard run.status == 0, !folder.isEmpty else {
                return .failure(BuildFailure(description: "scripts/build-static-belay failed (\(run.status)):\n\(run.stderr.suffix(4000))"))
            }
            print("Gradescope: the static release belay took \(Int(Date().timeIntervalSince(started).rounded())) s to build")
            return .success(URL(fileURLWithPath: folder).appendingPathComponent("belay"))
        } catch {
            return .failure(BuildFailure(description: "cannot run scripts/build-static-belay: \(error)"))
        }
    }()

    struct BuildFailure: Error, CustomStringConvertible { var description: String }

    /// A machine-like environment for the scripts: no toolchain on PATH, nothing of the test runner's.
    static func imageEnvironment(root: URL, _ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": root.path, "LANG": "C.UTF-8",
            "BELAY_AUTOGRADER_ROOT": root.path, "TMPDIR": NSTemporaryDirectory(),
        ]
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// Gradescope's layout: the zip extracted to `root/source` (by Python's zipfile, which drops permission bits:
    /// setup.sh must restore them), `run_autograder` copied to `root`.
    static func layOut(zip: URL, in root: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("submission"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("results"), withIntermediateDirectories: true)
        _ = try Python.output(
            script: "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
            arguments: [zip.path, root.appendingPathComponent("source").path])
        try fm.copyItem(at: root.appendingPathComponent("source/run_autograder"), to: root.appendingPathComponent("run_autograder"))
    }

    static func runAutograder(root: URL, _ extra: [String: String] = [:]) throws -> (run: ChildProcess.Run, results: [String: Any]) {
        let run = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), arguments: [root.appendingPathComponent("run_autograder").path],
            environment: imageEnvironment(root: root, extra))
        let data = try Data(contentsOf: root.appendingPathComponent("results/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "results.json is not an object")
        return (run, json)
    }

    static func tests(_ results: [String: Any]) -> [[String: Any]] { results["tests"] as? [[String: Any]] ?? [] }

    /// The highest `<prefix>x.y` version binutils' readelf finds needed by any of `files`, as "x.y".
    static func readelfHighest(_ prefix: String, in files: [URL]) throws -> String {
        var highest: [Int] = []
        for file in files {
            let run = try ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/readelf"), arguments: ["-V", "-W", file.path], environment: ["LC_ALL": "C"])
            // Only the version needs (`Name: GLIBC_2.34`), not a library's own definitions.
            let needs = run.stdout.components(separatedBy: "Version needs section").dropFirst().joined()
            for word in needs.split(whereSeparator: { $0 == " " || $0 == "\n" }) where word.hasPrefix(prefix) {
                let parts = word.dropFirst(prefix.count).split(separator: ".").map { Int($0) }
                guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { continue }
                let version = parts.map { $0! }
                if highest.lexicographicallyPrecedes(version) { highest = version }
            }
        }
        return highest.map(String.init).joined(separator: ".")
    }

    // MARK: Always run (fast)

    /// A belay with the Swift runtime as shared libraries would not start on Gradescope: refused, naming the build.
    @Test func aBelayWithADynamicSwiftRuntimeIsRefusedWithTheBuildCommand() throws {
        let directory = try TemporaryDirectory(prefix: "belay-gradescope")
        defer { directory.cleanup() }
        let zip = directory.file("autograder.zip")
        let run = try CLITests.belay(["gradescope", "bundle", "--out", zip.path], binary: CLITests.debugBinary)
        #expect(run.status == 64, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("swift build -c release --static-swift-stdlib"), "\(run.stderr)")
        #expect(run.stderr.contains("libswiftCore.so"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: zip.path))
    }

    // MARK: End to end (a static release build)

    @Test(.enabled(
        if: canRun,
        "needs a belay built with --static-swift-stdlib: set BELAY_GRADESCOPE_BELAY, or BELAY_REQUIRE_GRADESCOPE_BUNDLE=1 to build one (CI does)"))
    func theBundleGradesInAScratchAutograderFolder() throws {
        let belay = try Self.staticBelay.get()
        let directory = try TemporaryDirectory(prefix: "belay-gradescope")
        defer { directory.cleanup() }
        let zip = directory.file("autograder.zip")

        // The static belay bundles itself (the running executable), with no --belay.
        let bundle = try ChildProcess.run(
            belay, arguments: ["gradescope", "bundle", "--out", zip.path, "--timeout", "300"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory.path])
        try #require(bundle.status == 0, "\(bundle.stdout)\n\(bundle.stderr)")
        #expect(bundle.stdout.contains("Needs glibc 2."), "\(bundle.stdout)")
        #expect(bundle.stdout.contains("choose the base image Ubuntu"), "\(bundle.stdout)")
        print(bundle.stdout.split(separator: "\n").suffix(2).joined(separator: "\n"))

        // The zip: both scripts at the root and executable, belay and its helper, libraries but no glibc.
        let listing = try Python.output(script: """
            import sys, zipfile
            for i in zipfile.ZipFile(sys.argv[1]).infolist():
                print(oct((i.external_attr >> 16) & 0o777), i.file_size, i.filename)
            """, arguments: [zip.path])
        var modes: [String: String] = [:]
        for line in listing.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            if parts.count == 3 { modes[parts[2]] = parts[0] }
        }
        for executable in ["setup.sh", "run_autograder", "bin/belay", "bin/belay-sandbox-init"] {
            #expect(modes[executable] == "0o755", "\(executable): \(modes[executable] ?? "missing")")
        }
        for file in ["rubric.yaml", "belay-bundle.env", "python-requirements.txt", "bin/Belay_BelayData.resources/mtb-h37rv/mtb_full.h5.gz",
                     "bin/Belay_Route019.resources/019-leaky-pipeline/rubric.yaml", "lib/libhdf5_serial.so.103", "lib/libxml2.so.2"] {
            #expect(modes[file] != nil, "\(file) is not in the bundle")
        }
        for image in ["lib/libc.so", "lib/ld-linux", "lib/libm.so", "lib/libstdc++", "lib/libgcc_s"] {
            #expect(!modes.keys.contains { $0.hasPrefix(image) }, "\(image) must come from the image")
        }

        let root = directory.file("autograder")
        try Self.layOut(zip: zip, in: root)
        let source = root.appendingPathComponent("source")

        // Every library but glibc's and the GCC runtime's resolves into the bundle.
        let ldd = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/ldd"), arguments: [source.appendingPathComponent("bin/belay").path],
            environment: ["LD_LIBRARY_PATH": source.appendingPathComponent("lib").path, "LC_ALL": "C"])
        for line in ldd.stdout.split(separator: "\n") where line.contains("=>") {
            let soname = line.split(separator: " ").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let image = ["libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "libresolv.so", "ld-linux", "libstdc++", "libgcc_s"]
            #expect(image.contains { soname.hasPrefix($0) } || line.contains(source.appendingPathComponent("lib").path), "\(line)")
        }

        // The glibc the bundle says it needs is the highest any shipped file asks for, as binutils reads them.
        let env = source.appendingPathComponent("belay-bundle.env")
        let original = try String(contentsOf: env, encoding: .utf8)
        let needed = original.split(separator: "\n").first { $0.hasPrefix("BELAY_GLIBC_NEEDED=") }.map(String.init) ?? ""
        // binutils' readelf is part of the build tools (scripts/setup); without it this check must not pass unseen.
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/readelf"), "readelf is missing: install binutils")
        let libraries = try FileManager.default.contentsOfDirectory(atPath: source.appendingPathComponent("lib").path)
            .map { source.appendingPathComponent("lib/" + $0) }
        let shipped = [source.appendingPathComponent("bin/belay"), source.appendingPathComponent("bin/belay-sandbox-init")] + libraries
        #expect(needed == "BELAY_GLIBC_NEEDED='\(try Self.readelfHighest("GLIBC_", in: shipped))'", "\(needed)")
        let cxx = "BELAY_GLIBCXX_NEEDED='\(try Self.readelfHighest("GLIBCXX_", in: shipped))'"
        #expect(original.contains(cxx + "\n"), "\(original) lacks \(cxx)")

        // setup.sh as Gradescope runs it (the Python for notebooks is not installed here: it needs apt and PyPI).
        let setup = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), arguments: [source.appendingPathComponent("setup.sh").path],
            environment: Self.imageEnvironment(root: root, ["BELAY_SETUP_SKIP_PYTHON": "1"]))
        #expect(setup.status == 0, "\(setup.stdout)\n\(setup.stderr)")
        #expect(setup.stdout.contains("belay setup: belay 0."), "\(setup.stdout)")

        // 1. The CSV reference solution: full marks, every test passed, hidden checks included.
        let submission = root.appendingPathComponent("submission")
        let student = try CLITests.solutionCopy(in: directory)
        try? FileManager.default.removeItem(at: student.appendingPathComponent("notebook"))
        for name in try FileManager.default.contentsOfDirectory(atPath: student.path) {
            try FileManager.default.copyItem(at: student.appendingPathComponent(name), to: submission.appendingPathComponent(name))
        }
        let full = try Self.runAutograder(root: root)
        let fullTests = Self.tests(full.results)
        let maximum = fullTests.reduce(0.0) { $0 + ($1["max_score"] as? Double ?? 0) }
        #expect(!fullTests.isEmpty && maximum > 0, "\(full.run.stdout)")
        #expect(full.results["score"] as? Double == maximum, "score \(full.results["score"] ?? "none") of \(maximum)\n\(full.run.stdout)")
        #expect(fullTests.allSatisfy { $0["status"] as? String == "passed" }, "\(fullTests.filter { $0["status"] as? String != "passed" })")
        #expect(fullTests.contains { ($0["visibility"] as? String) == "after_published" }, "hidden checks are graded, shown once published")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("results/.belay-results.json").path))

        // 2. A broken submission: a NaN metric and no splits file, a failing score with messages that say what is wrong.
        try FileManager.default.removeItem(at: submission.appendingPathComponent("splits.csv"))
        try Data("name,value\nleakage_accuracy,NaN\n".utf8).write(to: submission.appendingPathComponent("metrics.csv"))
        let broken = try Self.runAutograder(root: root)
        let brokenScore = try #require(broken.results["score"] as? Double)
        #expect(brokenScore < maximum, "\(broken.run.stdout)")
        let failed = Self.tests(broken.results).filter { $0["status"] as? String == "failed" }
        #expect(!failed.isEmpty)
        #expect(failed.allSatisfy { ($0["output"] as? String ?? "").count > 10 }, "\(failed)")
        #expect(failed.contains { ($0["output"] as? String ?? "").contains("splits.csv") }, "\(failed)")

        // 3. The same submission uploaded as one .zip: graded as the archive.
        let archive = directory.file("upload.zip")
        _ = try Python.output(script: """
            import os, sys, zipfile
            with zipfile.ZipFile(sys.argv[2], "w") as z:
                for name in sorted(os.listdir(sys.argv[1])):
                    z.write(os.path.join(sys.argv[1], name), "my-work/" + name)
            """, arguments: [student.path, archive.path])
        for name in try FileManager.default.contentsOfDirectory(atPath: submission.path) {
            try FileManager.default.removeItem(at: submission.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: archive, to: submission.appendingPathComponent("upload.zip"))
        let zipped = try Self.runAutograder(root: root)
        #expect(zipped.results["score"] as? Double == maximum, "\(zipped.run.stdout)")

        // 4. Belay out of time: a results.json all the same, 0 points, saying why. (10 ms: no run can finish in it,
        // whereas a whole grading, with the results of the runs above kept, can finish within 1 s.)
        let late = try Self.runAutograder(root: root, ["BELAY_TIMEOUT_OVERRIDE": "0.01"])
        #expect(late.results["score"] as? Double == 0)
        #expect((late.results["output"] as? String ?? "").contains("did not finish grading within 0.01 s"), "\(late.results)")

        // 5. Belay crashing: 0 points, saying so.
        let belayCopy = directory.file("belay-static")
        try FileManager.default.moveItem(at: source.appendingPathComponent("bin/belay"), to: belayCopy)
        try Data("#!/bin/sh\nkill -SEGV $$\n".utf8).write(to: source.appendingPathComponent("bin/belay"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: source.appendingPathComponent("bin/belay").path)
        let crashed = try Self.runAutograder(root: root)
        #expect(crashed.results["score"] as? Double == 0)
        #expect((crashed.results["output"] as? String ?? "").contains("stopped unexpectedly (signal 11)"), "\(crashed.results)")
        try FileManager.default.removeItem(at: source.appendingPathComponent("bin/belay"))
        try FileManager.default.moveItem(at: belayCopy, to: source.appendingPathComponent("bin/belay"))

        // 6. An image with an older glibc than the bundle needs: setup.sh fails saying so, run_autograder explains.
        try original.replacingOccurrences(of: needed, with: "BELAY_GLIBC_NEEDED='9.99'").write(to: env, atomically: true, encoding: .utf8)
        let oldSetup = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), arguments: [source.appendingPathComponent("setup.sh").path],
            environment: Self.imageEnvironment(root: root, ["BELAY_SETUP_SKIP_PYTHON": "1"]))
        #expect(oldSetup.status != 0)
        #expect(oldSetup.stderr.contains("needs glibc 9.99 or newer"), "\(oldSetup.stderr)")
        let old = try Self.runAutograder(root: root)
        #expect(old.results["score"] as? Double == 0)
        #expect((old.results["output"] as? String ?? "").contains("needs glibc 9.99 or newer"), "\(old.results)")
    }

    /// `--data` and `--rubric` ship with the bundle and are what run_autograder grades with: generated course data
    /// and its own reference run as the submission (full marks only against that data), and a rubric that gives
    /// the first check 5 points.
    @Test(.enabled(
        if: canRun,
        "needs a belay built with --static-swift-stdlib: set BELAY_GRADESCOPE_BELAY, or BELAY_REQUIRE_GRADESCOPE_BUNDLE=1 to build one (CI does)"))
    func theBundleGradesWithItsOwnDataAndRubric() throws {
        let belay = try Self.staticBelay.get()
        let directory = try TemporaryDirectory(prefix: "belay-gradescope")
        defer { directory.cleanup() }
        let fm = FileManager.default
        let data = directory.file("course-data"), reference = directory.file("ref")
        let synth = try CLITests.belay(["data", "synth", "--out", data.path, "--proteins", "300", "--labeled", "120", "--dim", "16"])
        try #require(synth.status == 0, "\(synth.stderr)")
        let ref = try CLITests.belay(["reference", "--data", data.path, "--out", reference.path, "--seed", "42"])
        try #require(ref.status == 0, "\(ref.stderr)")
        // A course folder often links its big files: the bundle must hold the file, not a link to nowhere.
        let embeddings = try #require(try fm.contentsOfDirectory(atPath: data.path).first { $0.hasSuffix(".h5") || $0.hasSuffix(".h5.gz") })
        try fm.moveItem(at: data.appendingPathComponent(embeddings), to: directory.file(embeddings))
        try fm.createSymbolicLink(at: data.appendingPathComponent(embeddings), withDestinationURL: directory.file(embeddings))
        try fm.copyItem(
            at: CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline/reflection.md"),
            to: reference.appendingPathComponent("reflection.md"))
        let rubricText = try String(
            contentsOf: CLITests.root.appendingPathComponent("rubrics/019-leaky-pipeline/rubric.yaml"), encoding: .utf8)
        let marker = "title: features.csv is present and readable, with protein_id and location columns\n    artifact: features.csv\n    points: 1\n"
        try #require(rubricText.contains(marker))
        let rubric = directory.file("my-rubric.yaml")
        try rubricText.replacingOccurrences(of: marker, with: marker.replacingOccurrences(of: "points: 1", with: "points: 5"))
            .write(to: rubric, atomically: true, encoding: .utf8)

        let zip = directory.file("autograder.zip")
        let bundle = try ChildProcess.run(
            belay, arguments: ["gradescope", "bundle", "--out", zip.path, "--data", data.path, "--rubric", rubric.path, "--no-run-notebooks"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory.path])
        try #require(bundle.status == 0, "\(bundle.stdout)\n\(bundle.stderr)")
        let root = directory.file("autograder")
        try Self.layOut(zip: zip, in: root)
        let source = root.appendingPathComponent("source")
        for name in try fm.contentsOfDirectory(atPath: data.path) {
            let shipped = source.appendingPathComponent("data/" + name)
            #expect(try Data(contentsOf: data.appendingPathComponent(name)) == Data(contentsOf: shipped), "data/\(name)")
            #expect(try fm.attributesOfItem(atPath: shipped.path)[.type] as? FileAttributeType == .typeRegular, "data/\(name)")
        }
        let env = try String(contentsOf: source.appendingPathComponent("belay-bundle.env"), encoding: .utf8)
        #expect(env.contains("BELAY_HAS_DATA='1'\n") && env.contains("BELAY_RUN_NOTEBOOKS='0'\n"), "\(env)")

        // No Python is installed with --no-run-notebooks, so setup needs nothing skipped.
        let setup = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), arguments: [source.appendingPathComponent("setup.sh").path],
            environment: Self.imageEnvironment(root: root))
        #expect(setup.status == 0, "\(setup.stdout)\n\(setup.stderr)")
        #expect(!fm.fileExists(atPath: root.appendingPathComponent("belay-python").path))

        for name in try fm.contentsOfDirectory(atPath: reference.path) {
            try fm.copyItem(at: reference.appendingPathComponent(name), to: root.appendingPathComponent("submission/" + name))
        }
        let graded = try Self.runAutograder(root: root)
        let tests = Self.tests(graded.results)
        let maximum = tests.reduce(0.0) { $0 + ($1["max_score"] as? Double ?? 0) }
        #expect(graded.run.stdout.contains("--data \(source.path)/data"), "\(graded.run.stdout)")
        #expect(graded.results["score"] as? Double == maximum && maximum > 0, "\(graded.run.stdout)")
        let first = tests.first { ($0["name"] as? String ?? "").contains("[ex0.features.readable]") }
        #expect(first?["max_score"] as? Double == 5, "\(first ?? [:])")
    }
}
