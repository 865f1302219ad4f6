import BelayData
import BelayGrading
import BelayRoute
@testable import BelaySandbox
import BelayTestSupport
import Foundation
import GoodModelsKit
@testable import Route020
import Testing

/// The repository root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The Swift reference solution and the starter.
private let solutionPackage = root.appendingPathComponent("solutions/020-good-models-from-bad-labels/swift")
private let starterPackage = root.appendingPathComponent("exercises/020-good-models-from-bad-labels/swift")

/// A copy of the reference solution with the body of each function whose declaration contains a key replaced.
private func brokenPackage(_ overrides: [String: String], reflection: String? = nil) throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory(prefix: "belay-020-swift")
    let package = dir.file("package")
    try FileManager.default.copyItem(at: solutionPackage, to: package)
    let file = package.appendingPathComponent("Sources/GoodModels/Solution.swift")
    var source = try String(contentsOf: file, encoding: .utf8)
    for (signature, body) in overrides {
        guard let start = source.range(of: signature),
            let open = source.range(of: "{", range: start.upperBound..<source.endIndex)
        else {
            Issue.record("no function \(signature) in the solution")
            continue
        }
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
    if let reflection { try Data(reflection.utf8).write(to: package.appendingPathComponent("Reflection.md")) }
    return dir
}

private func gradeSwift(_ package: URL) async -> GradeReport {
    await sharedGrader.grade(submissionAt: package, name: package.lastPathComponent, sha256: "test")
}


@Suite struct GoodModelsKitEmbeddingTests {
    @Test func embeddedGoodModelsKitMatchesItsSources() throws {
        let directory = root.appendingPathComponent("Sources/Route020Kit")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
            .sorted()
        let files = try names.map { (name: $0, text: try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
        let rendered = SwiftKitModule.renderEmbedding(
            typeName: "GoodModelsKitSources",
            header: "// Generated from Sources/Route020Kit by Route020Tests (BELAY_RECORD=1 swift test --filter "
                + "embeddedGoodModelsKit). Do not edit.",
            files: files)
        let generated = root.appendingPathComponent("Sources/Route020/GoodModelsKitSources.swift")
        if ProcessInfo.processInfo.environment["BELAY_RECORD"] == "1" {
            try Data(rendered.utf8).write(to: generated)
            return
        }
        let stale = "GoodModelsKitSources.swift is stale: run BELAY_RECORD=1 swift test --filter embeddedGoodModelsKit"
        #expect(try String(contentsOf: generated, encoding: .utf8) == rendered ? true : false, "\(stale)")
        #expect(GoodModelsKitSources.files.map(\.text) == files.map(\.text) ? true : false, "\(stale)")
    }

    @Test func theCatalogueNamesEveryFunctionOfTheProtocol() {
        #expect(GoodModelsCatalogue.tasks.map(\.description.signature) == [
            "split(classes:testFraction:seed:)", "noisyLabels(classes:isTest:classCount:rate:seed:)",
            "accuracy(truth:predicted:)", "features", "reflection",
        ])
        #expect(Route020SwiftTrack.track.protocolName == "GoodModelsExercises")
        #expect(Route020SwiftTrack.track.catalogueName == "GoodModelsCatalogue")
    }

    @Test func routesRecognizeTheirOwnSwiftPackages() throws {
        let registry = RouteRegistry([LeakyPipelineStandIn(), GoodModelsRoute()])
        let chosen = try registry.resolve(id: nil, rubric: nil, submissions: [solutionPackage])
        #expect(chosen.id == GoodModelsRoute().id)
        #expect(GoodModelsRoute().recognizes(submissionAt: starterPackage, fileNames: SubmissionFiles.names(in: starterPackage)))
        let other = root.appendingPathComponent("solutions/019-leaky-pipeline/swift")
        #expect(!GoodModelsRoute().recognizes(submissionAt: other, fileNames: SubmissionFiles.names(in: other)))
    }
}

/// A route that recognizes every Swift package by its file name alone, as a route without a Swift track would.
private struct LeakyPipelineStandIn: Route {
    var id: String { "000-stand-in" }
    var title: String { "stand-in" }
    func defaultRubricURL() throws -> URL { throw CocoaError(.fileNoSuchFile) }
    var rubricParameters: [ParameterRule] { [] }
    var checkParameters: [ParameterRule] { [] }
    func validateChecks(_ rubric: Rubric) throws {}
    func reference(_ parameters: RouteParameters, dataset: CourseDataset) throws -> any RouteReference {
        throw CocoaError(.fileNoSuchFile)
    }
}

@Suite("Route 020 Swift track", .serialized, .timeLimit(.minutes(45)))
struct Route020SwiftTrackTests {
    @Test func solutionScoresFullMarks() async throws {
        let report = await gradeSwift(solutionPackage)
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message) \($0.details.prefix(300))" })")
        #expect(report.property("submission.kind") == "swift")
    }

    @Test func theSolutionsSplitIsBelaysReferenceSplit() {
        // The solution calls ExerciseKit's `SeededSplit.random(…, stratifyBy:)`: Belay's own reference split.
        let run = sharedReference.referenceRun(seed: 42, testFraction: 0.2, features: .handMade)
        #expect(SeededSplit.random(count: sharedReference.ids.count, testFraction: 0.2, seed: 42, stratifyBy: sharedReference.codes) == run.isTest)
    }

    @Test func starterFailsEveryStepWithAHint() async throws {
        let report = await gradeSwift(starterPackage)
        for id in ["split.readable", "labels.readable", "curve.readable", "reflection.present"] {
            let result = report.results.first { $0.id == id }
            #expect(result?.outcome == .failed, "\(id): \(String(describing: result))")
            #expect(result.map { !($0.hint ?? "").isEmpty || $0.details.contains("Implement") || $0.message.contains("Implement") } == true,
                    "\(id) gives no hint: \(String(describing: result))")
        }
        #expect(report.property("submission.kind") == "swift")
        // The report speaks of the module's functions, not of files it never handed in.
        for result in report.results {
            for text in [result.title, result.message, result.details, result.hint ?? ""] {
                for file in ["split.csv", "noisy_labels.csv", "curve.csv", "setup.csv"] {
                    #expect(!text.contains(file), "\(result.id) names \(file): \(text)")
                }
            }
        }
    }

    @Test(arguments: [
        // The split: everything in test.
        ("split.partition", ["func split(": "[Bool](repeating: true, count: classes.count)"]),
        // The noisy labels: test labels corrupted too.
        ("labels.test_untouched", ["func noisyLabels(": "classes.map { ($0 + (rate > 0 ? 1 : 0)) % classCount }"]),
        // The flip rate: "a random class" that may pick the old one again realises two thirds of the rate.
        ("labels.flip_rates", ["func noisyLabels(": """
            var g = SeededGenerator(seed: seed); return classes.indices.map { i in \
            isTest[i] || g.nextUnitDouble() >= rate ? classes[i] : g.nextIndex(below: classCount) }
            """]),
        // The split: the first proteins of one class, not a random split.
        ("split.random", ["func split(": """
            let order = classes.indices.sorted { (classes[$0], $0) < (classes[$1], $1) }; \
            let test = Set(order.prefix(Int((testFraction * Double(classes.count)).rounded()))); \
            return classes.indices.map { test.contains($0) }
            """]),
        // Labels flipped at rate 0 too.
        ("labels.clean_at_zero", ["func noisyLabels(": """
            classes.indices.map { i in isTest[i] || i % 10 != 0 ? classes[i] : (classes[i] + 1) % classCount }
            """]),
        // Every flip to the next class: the flips do not spread over the other classes.
        ("labels.flips_uniform", ["func noisyLabels(": """
            var g = SeededGenerator(seed: seed); var training = classes.indices.filter { !isTest[$0] }; \
            g.shuffle(&training); var noisy = classes; \
            for i in training.prefix(Int((rate * Double(training.count)).rounded())) { noisy[i] = (classes[i] + 1) % classCount }; \
            return noisy
            """]),
        // The accuracy: always 1.
        ("curve.readable", ["func accuracy(": "1"]),
        // The accuracy: right on small cases, inflated on the curve's (the points lie above any classifier's).
        ("curve.rerun", ["func accuracy(": """
            truth.count < 10 ? Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count) : 0.99
            """]),
    ] as [(String, [String: String])])
    func brokenModuleFailsItsCheck(check: String, overrides: [String: String]) async throws {
        let package = try brokenPackage(overrides)
        defer { package.cleanup() }
        let report = await gradeSwift(package.file("package"))
        #expect(report.result(check)?.outcome == .failed, "\(check): \(String(describing: report.results.first { $0.id == check }))")
    }

    @Test func aModuleThatDoesNotCompileFailsWithTheCompilersMessage() async throws {
        let package = try brokenPackage(["func accuracy(": "this is not Swift"])
        defer { package.cleanup() }
        let report = await gradeSwift(package.file("package"))
        let split = report.results.first { $0.id == "split.readable" }
        #expect(split?.outcome == .failed)
        #expect(split.map { "\($0.message) \($0.details)".contains("compile") } == true, "\(String(describing: split))")
    }

    @Test func reflectionWithoutAnswersFails() async throws {
        let package = try brokenPackage([:], reflection: "## Q1\n\n## Q2\n\n## Q3\n")
        defer { package.cleanup() }
        let report = await gradeSwift(package.file("package"))
        #expect(report.result("reflection.present")?.outcome == .failed)
    }
}
