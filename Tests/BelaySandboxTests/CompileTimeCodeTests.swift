@testable import BelaySandbox
import BelayTestSupport
import ExerciseKit
import Foundation
import Testing

/// A hostile package's parts, each of which writes a marker file into `markers` when run: a manifest that does
/// so when evaluated, a build tool plugin when asked for commands, and a macro implementation when expanding.
enum Hostile {
    static func manifest(markers: URL, name: String) -> String {
        """
        // swift-tools-version: 6.0
        import PackageDescription
        import CompilerPluginSupport
        import Foundation

        // Runs whenever the manifest is evaluated (`swift build`, `swift package ...`).
        _ = FileManager.default.createFile(atPath: "\(markers.path)/manifest", contents: Data("evaluated".utf8))

        let package = Package(
            name: "\(name)",
            platforms: [.macOS(.v13)],
            dependencies: [.package(url: "https://github.com/swiftlang/swift-syntax.git", from: "600.0.0")],
            targets: [
                .macro(
                    name: "EvilMacros",
                    dependencies: [
                        .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                        .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
                    ]),
                .plugin(name: "Evil", capability: .buildTool()),
                .target(name: "Mine", dependencies: ["EvilMacros"], plugins: ["Evil"]),
            ]
        )

        """
    }

    static func plugin(markers: URL) -> String {
        """
        import Foundation
        import PackagePlugin

        @main struct Evil: BuildToolPlugin {
            func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
                _ = FileManager.default.createFile(atPath: "\(markers.path)/plugin", contents: nil)
                return []
            }
        }

        """
    }

    static func macro(markers: URL) -> String {
        """
        import Foundation
        import SwiftCompilerPlugin
        import SwiftSyntax
        import SwiftSyntaxMacros

        public struct MarkMacro: ExpressionMacro {
            public static func expansion(
                of node: some FreestandingMacroExpansionSyntax, in context: some MacroExpansionContext
            ) -> ExprSyntax {
                _ = FileManager.default.createFile(atPath: "\(markers.path)/macro", contents: nil)
                return "1"
            }
        }

        @main struct EvilPlugin: CompilerPlugin {
            let providingMacros: [any Macro.Type] = [MarkMacro.self]
        }

        """
    }

    /// `Solution` with `accuracy` answered by `accuracyBody`, in target `Mine`.
    static func solution(accuracyBody: String, extra: String = "") -> String {
        """
        import ExerciseKit

        \(extra)
        struct Solution: LeakyPipelineExercises {
            init() {}
            func features(of sequence: String) -> [Int] { [] }
            func cleanLocation(_ uniprotText: String) -> String? { nil }
            func encodeLabels(_ labels: [String]) -> [String: Int] { [:] }
            func cosineSimilarity(_ embeddings: [[Float]]) -> [[Float]] { [] }
            func clusters(similarity: [[Float]], threshold: Float) -> [Int] { [] }
            func clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64) -> [Bool] { [] }
            func randomSplit(count: Int, testFraction: Double, seed: UInt64) -> [Bool] { [] }
            func accuracy(truth: [Int], predicted: [Int]) -> Double { \(accuracyBody) }
        }

        """
    }

    /// Writes the package: manifest, plugin, macro target, and `Mine` with `solution`. With `internalLinks`, `Mine`
    /// is reached through links that stay inside the package: `Sources/Mine` → `../src/Mine`, its `Helpers.swift`
    /// → `../../shared/Helpers.swift`, and `Reflection.md` → `docs/reflection.md`.
    static func write(to package: URL, markers: URL, solution: String, internalLinks: Bool) throws {
        func put(_ text: String, _ relative: String) throws {
            let url = package.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let fm = FileManager.default
        try put(manifest(markers: markers, name: package.lastPathComponent), "Package.swift")
        try put(plugin(markers: markers), "Plugins/Evil/Evil.swift")
        try put(macro(markers: markers), "Sources/EvilMacros/EvilMacros.swift")
        let helpers = """
            func helperAccuracy(_ truth: [Int], _ predicted: [Int]) -> Double {
                truth.isEmpty ? 0 : Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
            }

            """
        let reflection = "## Q1\nLeakage.\n## Q2\nHomologs.\n## Q3\nSplits?\n## Q4\nUnrelated samples.\n"
        if internalLinks {
            try put(solution, "src/Mine/Solution.swift")
            try put(helpers, "shared/Helpers.swift")
            try put(reflection, "docs/reflection.md")
            try fm.createSymbolicLink(atPath: package.appendingPathComponent("Sources/Mine").path, withDestinationPath: "../src/Mine")
            try fm.createSymbolicLink(
                atPath: package.appendingPathComponent("src/Mine/Helpers.swift").path, withDestinationPath: "../../shared/Helpers.swift")
            try fm.createSymbolicLink(atPath: package.appendingPathComponent("Reflection.md").path, withDestinationPath: "docs/reflection.md")
        } else {
            try put(solution, "Sources/Mine/Solution.swift")
            try put(helpers, "Sources/Mine/Helpers.swift")
            try put(reflection, "Reflection.md")
        }
    }
}

/// One built hostile package, shared by the tests below (a module build is the slow part).
private struct Built: Sendable {
    var session: SwiftModuleSession<LeakyPipelineCatalogue>
    var run: SwiftSubmissionRun<LeakyPipelineCatalogue>
    /// What the markers folder held right after the build.
    var markersAfterBuild: [String]
}

/// Builds each fixture once per test run.
private actor Fixtures {
    static let shared = Fixtures()
    private var toolbox: Task<Built, any Error>?

    /// The hostile package whose module does not use the macro; `Mine` reached through internal links.
    func hostileToolbox() async throws -> Built {
        if let toolbox { return try await toolbox.value }
        let task = Task { try await Self.build(solution: Hostile.solution(accuracyBody: "helperAccuracy(truth, predicted)"), internalLinks: true) }
        toolbox = task
        return try await task.value
    }

    static func build(solution: String, internalLinks: Bool) async throws -> Built {
        let builder = try #require(sharedBuilder)
        let folder = try TemporaryDirectory(prefix: "belay-hostile-package")
        let markers = try TemporaryDirectory(prefix: "belay-markers")
        defer { folder.cleanup(); markers.cleanup() }
        let package = folder.file("Toolbox")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try Hostile.write(to: package, markers: markers.url, solution: solution, internalLinks: internalLinks)
        var policy = SandboxPolicy.studentRun
        policy.wallSeconds = 120  // 16 concurrent runs on a loaded 2-core machine
        let session = try await SwiftSubmissionRunner(LeakyPipelineCatalogue.self, builder: builder, runPolicy: policy).open(package: package)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: markers.path)) ?? []
        return Built(session: session, run: await session.run, markersAfterBuild: left.sorted())
    }
}

@Suite(.serialized, .timeLimit(.minutes(45)))
struct CompileTimeCodeTests {
    /// The manifest fixture is really hostile: evaluating it, as `swift package` does, writes its marker.
    /// Belay's build of the same manifest (next test) does not.
    @Test func hostileManifestWritesItsMarkerWhenEvaluated() async throws {
        let builder = try #require(sharedBuilder)
        let swift = URL(fileURLWithPath: await builder.toolchain.swiftc).deletingLastPathComponent().appendingPathComponent("swift")
        guard FileManager.default.isExecutableFile(atPath: swift.path) else { return }
        let folder = try TemporaryDirectory(prefix: "belay-manifest-proof")
        let markers = try TemporaryDirectory(prefix: "belay-markers")
        defer { folder.cleanup(); markers.cleanup() }
        try Data(Hostile.manifest(markers: markers.url, name: "Proof").utf8).write(to: folder.file("Package.swift"))
        let run = try ChildProcess.run(
            swift, arguments: ["package", "--package-path", folder.path, "dump-package"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path])
        #expect(run.status == 0, "\(run.stderr.prefix(2000))")
        #expect(FileManager.default.fileExists(atPath: markers.file("manifest").path))
    }

    @Test func hostileManifestIsNeverRun() async throws {
        let built = try await Fixtures.shared.hostileToolbox()
        print("hostile toolbox notes:\n" + built.run.buildNotes.joined(separator: "\n"))
        #expect(!built.markersAfterBuild.contains("manifest"))
        #expect(built.run.compileError == nil, "\(built.run.compileError ?? "")")
        #expect(built.run.buildNotes.first?.contains("Belay compiled only Sources/Mine (2 Swift files)") == true)
        #expect(built.run.buildNotes.first?.contains("Package.swift, build plugins and macro targets are never run") == true)
        #expect(built.run.buildNotes.joined().contains("the package dependencies"))
    }

    @Test func buildPluginIsNeverRun() async throws {
        let built = try await Fixtures.shared.hostileToolbox()
        #expect(!built.markersAfterBuild.contains("plugin"))
        #expect(built.run.buildNotes.joined().contains("plugin `Evil`"), "\(built.run.buildNotes)")
    }

    @Test func unusedMacroTargetIsNeverRun() async throws {
        let built = try await Fixtures.shared.hostileToolbox()
        #expect(built.markersAfterBuild.isEmpty, "\(built.markersAfterBuild)")
        #expect(built.run.buildNotes.joined().contains("macro target `EvilMacros`"), "\(built.run.buildNotes)")
        // The grade proceeds on the module's own sources alone.
        let outcome = try await built.session.answer(.accuracy(truth: [0, 1, 2, 1], predicted: [0, 1, 1, 1]))
        #expect(outcome.output == .accuracy(0.75))
    }

    /// Links inside the package are followed: the build sees copies of the linked files, the reflection is read.
    @Test func linksInsideThePackageBuildAndAnswer() async throws {
        let built = try await Fixtures.shared.hostileToolbox()
        #expect(built.run.packageProblem == nil)
        let outcome = try await built.session.answer(.reflection)
        #expect(outcome.output == .reflection(Reflection(q1: "Leakage.", q2: "Homologs.", q3: "Splits?", q4: "Unrelated samples.")))
    }

    @Test func macroUsedByTheModuleIsExplainedAndNeverRun() async throws {
        let declaration = """
            @freestanding(expression) macro mark() -> Int = #externalMacro(module: "EvilMacros", type: "MarkMacro")
            """
        let built = try await Fixtures.build(
            solution: Hostile.solution(accuracyBody: "Double(#mark())", extra: declaration), internalLinks: false)
        #expect(built.markersAfterBuild.isEmpty, "\(built.markersAfterBuild)")
        let error = try #require(built.run.compileError)
        print("macro user:\n" + error)
        #expect(built.run.packageProblem == nil)
        #expect(error.contains("Belay does not support macros"))
        #expect(error.contains("external macro implementation type 'EvilMacros.MarkMacro'"))
        #expect(built.run.buildNotes.joined().contains("macro target `EvilMacros`"))
    }

    /// `SwiftModuleSession` is an actor: 16 tasks asking one session at once each get their own right answer.
    @Test func sessionAnswersManyConcurrentCallers() async throws {
        let built = try await Fixtures.shared.hostileToolbox()
        let session = built.session
        let count = 16
        let answers = try await withThrowingTaskGroup(of: (Int, TaskOutcome<TaskOutput>).self) { group in
            for i in 0..<count {
                group.addTask {
                    // i of 16 predictions right: accuracy i/16, distinct for every caller.
                    let predicted = (0..<count).map { $0 < i ? 0 : 1 }
                    return (i, try await session.answer(.accuracy(truth: Array(repeating: 0, count: count), predicted: predicted)))
                }
            }
            var answers: [Int: TaskOutcome<TaskOutput>] = [:]
            for try await (i, outcome) in group { answers[i] = outcome }
            return answers
        }
        #expect(answers.count == count)
        for i in 0..<count {
            #expect(answers[i]?.output == .accuracy(Double(i) / Double(count)), "caller \(i): \(String(describing: answers[i]))")
        }
        let run = await session.run
        let last = try #require(run.responses[.accuracy])
        #expect(answers.values.contains(last), "the session's record is one of the answers given")
        #expect(run.logs[.accuracy] != nil)
        #expect(run.runSeconds > 0)
    }
}
