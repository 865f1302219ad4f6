import BelayBatch
import BelayGrading
import BelayLab
import BelayReports
import BelayRoute
import BelayTestSupport
import ExerciseKit
import Foundation
import Route019
import Testing

/// A Swift package whose `Solution` type answers with the reference solution's code except where `overrides` says.
func swiftPackage(in directory: URL, overrides: [String: String] = [:], reflection: String? = nil) throws {
    let solution = repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/swift")
    try FileManager.default.copyItem(at: solution, to: directory)
    let file = directory.appendingPathComponent("Sources/LeakyPipeline/Solution.swift")
    var source = try String(contentsOf: file, encoding: .utf8)
    for (signature, body) in overrides {
        // Replace the body of the function whose declaration line contains `signature`.
        guard let start = source.range(of: signature), let open = source.range(of: "{", range: start.upperBound..<source.endIndex)
        else { continue }
        var depth = 1
        var i = open.upperBound
        while depth > 0, i < source.endIndex {
            if source[i] == "{" { depth += 1 }
            if source[i] == "}" { depth -= 1 }
            i = source.index(after: i)
        }
        source.replaceSubrange(open.lowerBound..<i, with: "{\n        \(body)\n    }")
    }
    try Data(source.utf8).write(to: file)
    if let reflection { try Data(reflection.utf8).write(to: directory.appendingPathComponent("Reflection.md")) }
}

/// ExerciseKit publishes the split rules Belay's reference runs: a student calling them gets Belay's splits.
@Suite struct SeededSplitAgreementTests {
    @Test func exerciseKitSplitsAreTheReferenceSplits() {
        let reference = sharedReference
        let options = reference.options
        let random = SeededSplit.random(
            count: reference.alignedIDs.count, testFraction: options.testFraction, seed: options.seed)
        #expect(random == reference.randomIsTest)
        let clustered = SeededSplit.clustered(
            clusters: reference.clustering.labels, testFraction: options.testFraction, seed: options.seed,
            mode: options.clusteredSplitMode)
        #expect(clustered == reference.clusteredIsTest)
        #expect(options.clusteredSplitMode == .proteinFraction)  // the mode ExerciseKit's default documents
        // The documented rule by hand, from the public generator alone: shuffle 0..<n, the first ceil(f × n) are test.
        var generator = SeededGenerator(seed: options.seed)
        var order = Array(reference.alignedIDs.indices)
        generator.shuffle(&order)
        let testCount = Int((options.testFraction * Double(order.count)).rounded(.up))
        let testSet = Set(order.prefix(testCount))
        #expect(reference.alignedIDs.indices.map { testSet.contains($0) } == reference.randomIsTest)
    }
}

@Suite("Swift route", .serialized, .timeLimit(.minutes(45)))
struct SwiftRouteTests {
    @Test func solutionModuleScoresFullMarksWithTheSameCheckIDs() async throws {
        let report = await grade(SubmissionFolder(url: repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/swift")))
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message) \($0.details.prefix(300))" })")
        #expect(report.property("submission.kind") == "swift")
        // The report says which memory limit applied: a total per student where the machine has memory groups.
        let sandbox = report.property("sandbox.notes") ?? ""
        #expect(
            sandbox.hasPrefix("memory 4 GiB in total for the student's build and tasks")
                || sandbox.hasPrefix("memory 2 GiB of address space per process, no total per student"), "\(sandbox)")
        // The same ids as the CSV route grade the same things, plus the module-only checks.
        let ids = Set(report.results.map(\.id))
        #expect(ids.isSuperset(of: ["ex0.features.values", "ex3.clusters.match", "ex3.clustered_split.no_shared_clusters", "ex4.answers.concepts"]))
        #expect(report.results.filter { $0.id.hasPrefix("swift.") }.allSatisfy { $0.outcome == .passed })
        // The student is told what was compiled and what never runs.
        #expect(report.result("swift.builds")?.details.contains("Belay compiled only Sources/LeakyPipeline") == true)
        #expect(report.result("swift.builds")?.details.contains("Package.swift, build plugins and macro targets are never run") == true)
        // Same module, same data: byte-identical reproducible reports (the sandbox's run is not in them).
        let again = await grade(SubmissionFolder(url: repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/swift")))
        #expect(JUnitReport.render(report, reproducible: true) == JUnitReport.render(again, reproducible: true))
        #expect(JSONReport.render(report, reproducible: true) == JSONReport.render(again, reproducible: true))
    }

    @Test func starterModuleFailsTheExercises() async throws {
        let report = await grade(SubmissionFolder(url: repositoryRoot.appendingPathComponent("exercises/019-leaky-pipeline/swift")))
        #expect(report.result("swift.builds")?.outcome == .passed)
        let earned = report.results.filter { !$0.id.hasPrefix("swift.builds") }.map(\.pointsEarned).reduce(0, +)
        #expect(earned < 0.1 * report.pointsPossible, "the starter earns \(earned) of \(report.pointsPossible)")
        #expect(report.result("ex0.features.readable")?.outcome == .failed)
        #expect(report.result("ex4.answers.present")?.outcome == .failed)
    }

    @Test func mixedClassWithHostileModulesIsGradedStudentByStudent() async throws {
        let classDirectory = try TemporaryDirectory(prefix: "belay-class")
        let out = try TemporaryDirectory(prefix: "belay-grades")
        defer { classDirectory.cleanup(); out.cleanup() }
        // A CSV student, a correct Swift student, and hostile or broken Swift students.
        let csv = classDirectory.file("ada")
        try FileManager.default.createDirectory(at: csv, withIntermediateDirectories: true)
        try sharedReference.writeSubmission(to: csv)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/reflection.md"),
            to: csv.appendingPathComponent("reflection.md"))
        try swiftPackage(in: classDirectory.file("bob"))
        try swiftPackage(
            in: classDirectory.file("eve"),
            overrides: [
                "func features(of sequence: String)": "while true {}",
                "func cosineSimilarity(": "fatalError(\"boom\")",
                "func randomSplit(": "var hog: [[UInt8]] = []; while true { hog.append([UInt8](repeating: 1, count: 1 << 26)) }",
                "func accuracy(": """
                    let secret = (try? String(contentsOfFile: "\(sharedRubricPath)", encoding: .utf8)) ?? "unreadable"
                    print(String(repeating: secret, count: 100_000)); return secret == "unreadable" ? 1 : 0
                    """,
            ])
        try swiftPackage(in: classDirectory.file("zed"), overrides: ["func encodeLabels(": "this is not Swift"])
        // Any distinct integers are a valid encoding, negative and far apart included.
        try swiftPackage(
            in: classDirectory.file("kim"),
            overrides: ["func encodeLabels(": "Dictionary(uniqueKeysWithValues: Set(labels).sorted().enumerated().map { ($1, -1_000_000 * $0 - 7) })"])

        let grader = Route019Grader(reference: sharedReference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
        let classGrader = ClassGrader(
            grader: grader, rubricSHA: sharedRubric.sha256, belayVersion: "test", jobs: 2, timeoutSeconds: 400,
            reproducible: true)
        let results = try await classGrader.grade(
            classDirectory: classDirectory.url, outDirectory: out.url, only: nil, force: true, progress: { _ in })
        #expect(results.map(\.name) == ["ada", "bob", "eve", "kim", "zed"])
        #expect(results.allSatisfy { $0.status == .graded }, "\(results.map { "\($0.name): \($0.status) \($0.message)" })")
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0.report) })
        for full in ["ada", "bob", "kim"] {
            let report = try #require(byName[full] ?? nil)
            #expect(report.pointsEarned == report.pointsPossible, "\(full): \(report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }.map(\.id))")
        }
        let eve = try #require(byName["eve"] ?? nil)
        // The looping features, the crash, the memory balloon: each its own clear failure; the rest still graded.
        #expect(eve.result("ex0.features.readable")?.outcome == .failed)
        #expect(eve.result("ex0.features.readable")?.message.contains("time") == true, "\(eve.result("ex0.features.readable")?.message ?? "")")
        #expect(eve.result("swift.cosine.values")?.outcome == .failed)
        #expect(eve.result("swift.cosine.values")?.message.contains("boom") == true || eve.result("swift.cosine.values")?.details.contains("boom") == true)
        #expect(eve.result("ex3.splits.readable")?.outcome == .failed)
        #expect(eve.result("swift.clusters.crafted")?.outcome == .passed)
        #expect(eve.result("ex4.answers.concepts")?.outcome == .passed)
        // It could not read the rubric: its accuracy function saw "unreadable" and answered 1.
        #expect(eve.result("swift.accuracy.values")?.message.contains("1.0") == true)
        let zed = try #require(byName["zed"] ?? nil)
        #expect(zed.result("swift.builds")?.outcome == .failed)
        #expect(zed.result("swift.builds")?.details.contains("Solution.swift") == true)
        // The gradebook holds every student.
        let gradebook = try String(contentsOf: out.file("gradebook.csv"), encoding: .utf8)
        for name in ["ada", "bob", "eve", "kim", "zed"] { #expect(gradebook.contains("\n\(name),")) }
    }
}

/// Where the shipped rubric lives (a hostile module tries to read it).
let sharedRubricPath: String = (try? Route019Grader.defaultRubricURL().path) ?? "/nonexistent"
