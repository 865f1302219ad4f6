@testable import BelaySandbox
import BelayTestSupport
import ExerciseKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One builder (and ExerciseKit compilation) for the whole test run, cached in a test folder.
let sharedBuilder: SwiftModuleBuilder? = try? SwiftModuleBuilder(
    cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("belay-swift-cache-tests"))

/// Small inputs for every task.
let sampleInputs: [TaskInput] = [
    .features(sequences: ["MKV*", "ac gt\nX", ""]),
    .cleanLocation(texts: [
        "SUBCELLULAR LOCATION: Cell membrane {ECO:0000305}; Multi-pass membrane protein {ECO:0000305}.",
        "SUBCELLULAR LOCATION: Secreted, cell wall {ECO:0000269|PubMed:1}. Note=Also found in the cytoplasm.",
        "SUBCELLULAR LOCATION: Cytoplasm. Secreted.",
        "SUBCELLULAR LOCATION: Cytoplasm, cytosol.",
        "",
    ]),
    .encodeLabels(labels: ["secreted", "cytoplasm", "membrane", "cytoplasm"]),
    .cosineSimilarity(embeddings: FloatRows([[1, 0], [0, 2], [3, 3]])),
    .clusters(similarity: FloatRows([[1, 0.9, 0.1], [0.9, 1, 0.2], [0.1, 0.2, 1]]), threshold: 0.9),
    .clusteredSplit(clusters: [0, 0, 1, 2, 2, 3, 4], testFraction: 0.4, seed: 7),
    .randomSplit(count: 10, testFraction: 0.3, seed: 7),
    .accuracy(truth: [0, 1, 2, 1], predicted: [0, 1, 1, 1]),
    .reflection,
]

/// Writes a package with one target whose `Solution` type has the given bodies (others are placeholders).
func writeModule(_ bodies: [ExerciseTask: String] = [:], extra: String = "", reflection: String? = nil) throws
    -> TemporaryDirectory
{
    let dir = try TemporaryDirectory(prefix: "belay-module")
    func body(_ task: ExerciseTask, _ placeholder: String) -> String { bodies[task] ?? placeholder }
    let source = """
        import ExerciseKit
        import Foundation
        #if canImport(Glibc)
        import Glibc
        #endif

        struct Solution: LeakyPipelineExercises {
            init() {}
            func features(of sequence: String) -> [Int] { \(body(.features, "[]")) }
            func cleanLocation(_ uniprotText: String) -> String? { \(body(.cleanLocation, "nil")) }
            func encodeLabels(_ labels: [String]) -> [String: Int] { \(body(.encodeLabels, "[:]")) }
            func cosineSimilarity(_ embeddings: [[Float]]) -> [[Float]] { \(body(.cosineSimilarity, "[]")) }
            func clusters(similarity: [[Float]], threshold: Float) -> [Int] { \(body(.clusters, "[]")) }
            func clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64) -> [Bool] { \(body(.clusteredSplit, "[]")) }
            func randomSplit(count: Int, testFraction: Double, seed: UInt64) -> [Bool] { \(body(.randomSplit, "[]")) }
            func accuracy(truth: [Int], predicted: [Int]) -> Double { \(body(.accuracy, "0")) }
        }
        \(extra)
        """
    try FileManager.default.createDirectory(at: dir.file("Sources/Hostile"), withIntermediateDirectories: true)
    try Data(source.utf8).write(to: dir.file("Sources/Hostile/Solution.swift"))
    if let reflection { try Data(reflection.utf8).write(to: dir.file("Reflection.md")) }
    return dir
}

func runModule(_ package: URL, inputs: [TaskInput] = sampleInputs, policy: SandboxPolicy = .studentRun) async throws
    -> SwiftSubmissionRun<LeakyPipelineCatalogue>
{
    let builder = try #require(sharedBuilder)
    return try await SwiftSubmissionRunner(LeakyPipelineCatalogue.self, builder: builder, runPolicy: policy).run(
        package: package, inputs: inputs)
}

@Suite(.serialized, .timeLimit(.minutes(45)))
struct SwiftModuleBuilderTests {
    @Test func embeddedExerciseKitMatchesItsSources() throws {
        let directory = repositoryRoot.appendingPathComponent("Sources/ExerciseKit")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
            .sorted()
        let files = try names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
        let rendered = ExerciseKitSources.render(files.map { (name: $0.0, text: $0.1) })
        let generated = repositoryRoot.appendingPathComponent("Sources/BelaySandbox/ExerciseKitSources.swift")
        if ProcessInfo.processInfo.environment["BELAY_RECORD"] == "1" {
            try Data(rendered.utf8).write(to: generated)
            return  // the compiled-in copy is the old one until the next build
        }
        let stale = "ExerciseKitSources.swift is stale: run BELAY_RECORD=1 swift test --filter embeddedExerciseKit"
        let committed = try String(contentsOf: generated, encoding: .utf8)
        #expect(committed == rendered ? true : false, "\(stale)")
        let embedded = ExerciseKitSources.files
        #expect(embedded.map(\.name) == names)
        #expect(embedded.map(\.text) == files.map(\.1) ? true : false, "\(stale)")
    }

    @Test func conformingTypesAreFound() {
        let text = """
            // struct Fake: LeakyPipelineExercises {
            public struct Mine: Sendable, LeakyPipelineExercises {
            extension Other: ExerciseKit.LeakyPipelineExercises where T: Equatable {
            struct NotMine: Equatable {
            """
        #expect(StudentSources.conformingTypes(in: text, to: "LeakyPipelineExercises") == ["Mine", "Other"])
    }

    @Test func solutionAnswersCorrectly() async throws {
        let run = try await runModule(repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/swift"))
        #expect(run.compileError == nil)
        #expect(run.typeName == "Solution")
        print("solution: build \(run.buildSeconds) s, run \(run.runSeconds) s (9 tasks)")
        let r = run.responses
        #expect(r[.features]?.output == .features([
            [3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0],
            [5, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
            [0] + Array(repeating: 0, count: 20),
        ]))
        #expect(r[.cleanLocation]?.output == .cleanLocation(["membrane", "secreted", nil, "cytoplasm", nil]))
        #expect(r[.encodeLabels]?.output == .encodeLabels(["cytoplasm": 0, "membrane": 1, "secreted": 2]))
        guard case .cosineSimilarity(let sim)? = r[.cosineSimilarity]?.output else {
            Issue.record("no similarity: \(String(describing: r[.cosineSimilarity]))")
            return
        }
        let expected: [[Float]] = [[1, 0, 0.70710677], [0, 1, 0.70710677], [0.70710677, 0.70710677, 1]]
        for (row, want) in zip(sim.rows, expected) {
            for (a, b) in zip(row, want) { #expect(abs(a - b) < 1e-6) }
        }
        #expect(r[.clusters]?.output == .clusters([0, 1, 2]))  // 0.9 is not > 0.9
        guard case .clusteredSplit(let clustered)? = r[.clusteredSplit]?.output,
            case .randomSplit(let random)? = r[.randomSplit]?.output
        else {
            Issue.record("no splits")
            return
        }
        #expect(clustered.count == 7 && clustered[0] == clustered[1] && clustered[3] == clustered[4])
        #expect(Set([0, 2, 3, 5, 6].map { clustered[$0] }).count == 2)
        #expect(clustered.filter { $0 }.count >= 1)
        #expect(random.count == 10 && random.filter { $0 }.count == 3)
        // The solution calls ExerciseKit's published rules: exactly Belay's reference splits for these inputs.
        #expect(clustered == SeededSplit.clustered(clusters: [0, 0, 1, 2, 2, 3, 4], testFraction: 0.4, seed: 7))
        #expect(random == SeededSplit.random(count: 10, testFraction: 0.3, seed: 7))
        #expect(r[.accuracy]?.output == .accuracy(0.75))
        guard case .reflection(let reflection)? = r[.reflection]?.output else {
            Issue.record("no reflection")
            return
        }
        #expect(reflection.answers.allSatisfy { $0.count > 100 })
    }

    @Test func starterCompilesAndReturnsPlaceholders() async throws {
        let run = try await runModule(repositoryRoot.appendingPathComponent("exercises/019-leaky-pipeline/swift"))
        #expect(run.compileError == nil)
        #expect(run.responses[.features]?.output == .features([[], [], []]))
        #expect(run.responses[.accuracy]?.output == .accuracy(0))
        #expect(run.responses[.reflection]?.output == .reflection(Reflection(q1: "<!-- What is data leakage? -->", q2: "<!-- Why is homology leakage easy to miss? -->", q3: "<!-- A paper claims 95% accuracy for predicting protein localisation. What would you ask? -->", q4: "<!-- When is a random train/test split fine? -->")))
    }

    @Test func compileErrorsComeBackAsDiagnostics() async throws {
        let module = try writeModule([.accuracy: "let x: Int = \"oops\"; return 0"])
        defer { module.cleanup() }
        let run = try await runModule(module.url)
        let error = try #require(run.compileError)
        #expect(error.contains("Sources/Hostile/Solution.swift:"))
        #expect(error.contains("error:"))
        #expect(!error.contains(FileManager.default.temporaryDirectory.path + "/belay-submission"))
        #expect(error.split(separator: "\n").count <= 32)
        // Every task asked of a module that did not compile fails with the compiler's message.
        #expect(run.responses.values.allSatisfy { if case .failed(let f) = $0 { f.message.contains("did not compile") } else { false } })
    }

    @Test func missingConformanceIsReported() async throws {
        let dir = try TemporaryDirectory(prefix: "belay-module")
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(at: dir.file("Sources/X"), withIntermediateDirectories: true)
        try Data("struct Nothing {}\n".utf8).write(to: dir.file("Sources/X/A.swift"))
        let run = try await runModule(dir.url)
        #expect(run.compileError?.contains("no type conforming to LeakyPipelineExercises") == true)
    }

    @Test func hostileModuleFailsTaskByTaskAndTheRestIsKept() async throws {
        let secrets = try TemporaryDirectory(prefix: "belay-rubric")
        defer { secrets.cleanup() }
        chmod(secrets.path, 0o700)
        let rubric = secrets.file("expected.json")
        try Data("{\"accuracy\": 0.75}".utf8).write(to: rubric)
        chmod(rubric.path, 0o600)
        let outside = "/tmp/belay-escape-\(UUID().uuidString)"
        let publicFolder = try TemporaryDirectory(prefix: "belay-public")
        defer { publicFolder.cleanup() }
        chmod(publicFolder.path, 0o755)
        let module = try writeModule(
            [
                .features: "while true {}; return []",
                .cleanLocation: "fatalError(\"boom\")",
                .encodeLabels: "let a = [1]; return [\"x\": a[labels.count + 5]]",
                .cosineSimilarity: "var blocks: [UnsafeMutableRawPointer] = []; while true { let b = UnsafeMutableRawPointer.allocate(byteCount: 100_000_000, alignment: 8); b.storeBytes(of: 1, as: UInt8.self); blocks.append(b) }",
                .clusters: "let line = String(repeating: \"x\", count: 1_000_000); for _ in 0..<100 { print(line) }; return []",
                .clusteredSplit: "forkBomb(); return []",
                .randomSplit: "let text = (try? String(contentsOfFile: \"\(rubric.path)\", encoding: .utf8)); print(text ?? \"denied\"); return [text != nil]",
                .accuracy: "let a = FileManager.default.createFile(atPath: \"\(outside)\", contents: Data(\"x\".utf8)); let b = FileManager.default.createFile(atPath: \"\(publicFolder.path)/x\", contents: Data(\"x\".utf8)); print(\"{\\\"accuracy\\\": 1.0}\"); return (a ? 1 : 0) + (b ? 2 : 0)",
            ],
            extra: """
                func forkBomb() {
                    while true {
                        var pid: pid_t = 0
                        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/proc/self/exe"), nil]
                        _ = posix_spawn(&pid, "/proc/self/exe", nil, nil, argv, nil)
                    }
                }
                """,
            reflection: "## Q1\nA\n## Q2\nB\n## Q3\nC\n## Q4\nD\n")
        defer { module.cleanup() }
        var policy = SandboxPolicy.studentRun
        policy.wallSeconds = 3
        policy.cpuSeconds = 3
        policy.memoryBytes = 1 << 30
        let run = try await runModule(module.url, policy: policy)
        #expect(run.compileError == nil, "\(run.compileError ?? "")")
        let r = run.responses
        for task in ExerciseTask.allCases { print("\(task): \(r[task].map { "\($0)" }?.prefix(300) ?? "-")") }
        print("hostile: build \(run.buildSeconds) s, run \(run.runSeconds) s")

        func kind(_ task: ExerciseTask) -> TaskFailure.Kind? {
            if case .failed(let failure)? = r[task] { return failure.kind }
            return nil
        }
        #expect(kind(.features) == .timedOut)
        if case .failed(let failure)? = r[.features] { #expect(failure.message.contains("features(of:)")) }
        #expect(kind(.cleanLocation).map { if case .crashed = $0 { true } else { false } } == true)
        if case .failed(let failure)? = r[.cleanLocation] { #expect(failure.message.contains("boom")) }
        #expect(kind(.encodeLabels).map { if case .crashed = $0 { true } else { false } } == true)
        if case .failed(let failure)? = r[.encodeLabels] { #expect(failure.message.contains("runtime trap")) }
        #expect(kind(.cosineSimilarity).map { if case .crashed = $0 { true } else { false } } == true)
        #expect(kind(.clusters) == .outputTooLarge)
        #expect(kind(.clusteredSplit) == .timedOut || kind(.clusteredSplit).map { if case .crashed = $0 { true } else { false } } == true)
        if isRoot {
            #expect(r[.randomSplit]?.output == .randomSplit([false]), "the rubric was readable")
            // /tmp is private (a write lands in a throwaway tmpfs, if that is applied); other folders refuse.
            #expect(r[.accuracy]?.output == .accuracy(0) || r[.accuracy]?.output == .accuracy(1))
            #expect(!FileManager.default.fileExists(atPath: publicFolder.path + "/x"))
            if run.limitsNotApplied.allSatisfy({ !$0.hasPrefix("private temporary") }) {
                #expect(!FileManager.default.fileExists(atPath: outside))
            }
        }
        #expect(r[.reflection]?.output == .reflection(Reflection(q1: "A", q2: "B", q3: "C", q4: "D")))
        #expect(run.logs[.accuracy]?.contains("{\"accuracy\": 1.0}") == true)  // printed, never taken as an answer
        try? FileManager.default.removeItem(atPath: outside)
    }

    @Test func exitingEarlyIsNoResult() async throws {
        let module = try writeModule([.accuracy: "exit(0)"])
        defer { module.cleanup() }
        let run = try await runModule(module.url, inputs: [.accuracy(truth: [1], predicted: [1])])
        if case .failed(let failure)? = run.responses[.accuracy] {
            #expect(failure.kind == .noResult)
        } else {
            Issue.record("expected a failure, got \(String(describing: run.responses[.accuracy]))")
        }
    }

    @Test func forgedResultOnTheChannelIsRejected() {
        let forged = Data("{\"nonce\":\"guess\",\"task\":\"accuracy\",\"output\":{\"accuracy\":{\"_0\":1}},\"seconds\":0}".utf8)
        let result = SandboxResult(
            termination: .exited(0), stdout: Data(), stderr: Data(), wallSeconds: 0, cpuSeconds: 0, appliedLimits: [],
            unappliedLimits: [])
        let outcome = SwiftSubmissionRunner<LeakyPipelineCatalogue>.outcome(
            task: .accuracy, result: result, data: forged, nonce: "real", policy: .studentRun)
        if case .failed(let failure) = outcome { #expect(failure.kind == .malformedResult) } else {
            Issue.record("forged answer accepted")
        }
    }
}
