import BelayRoute
import BelayTestSupport
@testable import belay
import Foundation
import Testing

/// How `check` and `grade` choose a route without `--route` or a rubric: the route that recognizes the
/// submissions' files (folders, or zips looked into without extracting), and an error naming the routes when the
/// submissions belong to more than one.
@Suite(
    "choosing the route from the submissions",
    .enabled(if: Python.isAvailable(), "zips with Python's zipfile (CI requires Python: BELAY_REQUIRE_PYTHON=1)"))
struct RouteChoiceTests {
    static let solutions = [
        "019-leaky-pipeline": CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline"),
        "020-good-models-from-bad-labels": CLITests.root.appendingPathComponent("solutions/020-good-models-from-bad-labels"),
    ]

    /// `folder`'s files zipped into `zip`, under `prefix` (a zipped folder's wrapping folder) when given, with
    /// Python's zipfile, as a student's computer would.
    static func zip(_ folder: URL, to zip: URL, prefix: String = "") throws {
        let result = try Python.run(
            script: """
                import os, sys, zipfile
                with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
                    for base, dirs, files in os.walk(sys.argv[1]):
                        for name in sorted(files):
                            path = os.path.join(base, name)
                            z.write(path, sys.argv[3] + os.path.relpath(path, sys.argv[1]))
                """, arguments: [folder.path, zip.path, prefix])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func theRegistryHasBothRoutes() {
        #expect(Set(routes.routes.map(\.id)) == Set(Self.solutions.keys))
    }

    @Test(arguments: ["019-leaky-pipeline", "020-good-models-from-bad-labels"])
    func eachRouteRecognizesItsOwnSolutionFolderAndZipAndNotTheOthers(_ solution: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let folder = try #require(Self.solutions[solution])
        let flat = directory.file("flat.zip"), wrapped = directory.file("wrapped.zip")
        try Self.zip(folder, to: flat)
        try Self.zip(folder, to: wrapped, prefix: "my-work/")
        for submission in [folder, flat, wrapped] {
            let names = SubmissionFiles.names(of: submission)
            #expect(names.contains("reflection.md"), "\(submission.lastPathComponent): \(names.sorted())")
            for route in routes.routes {
                #expect(
                    route.recognizes(fileNames: names) == (route.id == solution),
                    "\(route.id) on \(solution) as \(submission.lastPathComponent): \(names.sorted())")
            }
            #expect(try routes.resolve(id: nil, rubric: nil, submissions: [submission]).id == solution)
        }
    }

    /// The names a zip yields are those its extraction would: no `__MACOSX`, no hidden files, no folders, and
    /// nothing deeper than the folder version looks.
    @Test func aZipsNamesAreTheFolderNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let folder = directory.file("alice")
        for path in ["split.csv", "work/curve.csv", "__MACOSX/._split.csv", ".hidden.csv", "a/b/c/d/deep.csv"] {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x\n".utf8).write(to: url)
        }
        let zip = directory.file("alice.zip")
        try Self.zip(folder, to: zip)
        #expect(SubmissionFiles.names(of: zip) == ["split.csv", "curve.csv"])
        #expect(SubmissionFiles.names(of: folder) == ["split.csv", "curve.csv"])
        try Data("not a zip".utf8).write(to: directory.file("broken.zip"))
        #expect(SubmissionFiles.names(of: directory.file("broken.zip")).isEmpty)
    }

    /// A Route 020 student who hands in the starter notebook with the CSVs is still Route 020's.
    @Test func aNotebookBesideAnotherRoutesFilesDoesNotMakeItRoute019s() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let student = directory.file("student")
        try FileManager.default.copyItem(at: try #require(Self.solutions["020-good-models-from-bad-labels"]), to: student)
        try FileManager.default.copyItem(
            at: CLITests.root.appendingPathComponent("exercises/020-good-models-from-bad-labels/good_models_from_bad_labels.ipynb"),
            to: student.appendingPathComponent("good_models_from_bad_labels.ipynb"))
        #expect(try routes.resolve(id: nil, rubric: nil, submissions: [student]).id == "020-good-models-from-bad-labels")
        // A notebook alone stays a Route 019 notebook submission.
        let notebookOnly = directory.file("notebook-only")
        try FileManager.default.createDirectory(at: notebookOnly, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline/notebook/leaky_pipeline.ipynb"),
            to: notebookOnly.appendingPathComponent("leaky_pipeline.ipynb"))
        #expect(try routes.resolve(id: nil, rubric: nil, submissions: [notebookOnly]).id == "019-leaky-pipeline")
    }

    @Test func aClassMixingBothRoutesIsAnErrorNamingBothAndTheFlag() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let zipped = directory.file("bob.zip")
        try Self.zip(try #require(Self.solutions["020-good-models-from-bad-labels"]), to: zipped, prefix: "bob/")
        let submissions = [try #require(Self.solutions["019-leaky-pipeline"]), zipped]
        do {
            let route = try routes.resolve(id: nil, rubric: nil, submissions: submissions)
            Issue.record("a mixed class chose \(route.id)")
        } catch {
            let message = "\(error)"
            #expect(message.contains("019-leaky-pipeline (019-leaky-pipeline)"), "\(message)")
            #expect(message.contains("020-good-models-from-bad-labels (bob.zip)"), "\(message)")
            #expect(message.contains("--route 019-leaky-pipeline or --route 020-good-models-from-bad-labels"), "\(message)")
        }
        // --route settles it.
        #expect(try routes.resolve(id: "020", rubric: nil, submissions: submissions).id == "020-good-models-from-bad-labels")
    }

    /// End to end: `belay grade` on a class of zipped Route 020 students grades them with Route 020 (it looked
    /// inside the zips), and a class mixing the routes stops with a usage error before grading anyone.
    @Test(.timeLimit(.minutes(45))) func gradeChoosesTheRouteFromInsideTheZips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let klass = directory.file("class")
        try FileManager.default.createDirectory(at: klass, withIntermediateDirectories: true)
        let solution = try #require(Self.solutions["020-good-models-from-bad-labels"])
        try Self.zip(solution, to: klass.appendingPathComponent("alice.zip"), prefix: "alice/")
        try Self.zip(solution, to: klass.appendingPathComponent("bob.zip"))
        let out = directory.file("out")
        let run = try CLITests.belay(["grade", klass.path, "--out", out.path, "--reproducible", "--jobs", "2"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let gradebook = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        #expect(gradebook.contains("reflection.present"), "\(gradebook)")
        let lines = gradebook.split(whereSeparator: \.isNewline)
        #expect(lines.contains { $0.hasPrefix("alice,graded") } && lines.contains { $0.hasPrefix("bob,graded") }, "\(gradebook)")

        try FileManager.default.copyItem(
            at: try #require(Self.solutions["019-leaky-pipeline"]), to: klass.appendingPathComponent("carol"))
        let mixed = try CLITests.belay(["grade", klass.path, "--out", directory.file("mixed").path])
        #expect(mixed.status == 64, "\(mixed.stdout)\n\(mixed.stderr)")
        #expect(mixed.stderr.contains("019-leaky-pipeline (carol)"), "\(mixed.stderr)")
        #expect(mixed.stderr.contains("020-good-models-from-bad-labels (alice.zip, bob.zip)"), "\(mixed.stderr)")
        #expect(mixed.stderr.contains("--route"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("mixed/gradebook.csv").path))
    }
}
