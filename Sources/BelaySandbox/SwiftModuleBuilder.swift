import ExerciseKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Compiles student Swift modules against ExerciseKit into a harness executable, quickly and in the sandbox.
///
/// ExerciseKit is compiled once per toolchain and ExerciseKit version (cache key: `swiftc --version` + a hash
/// of its embedded sources + the flags) into `cacheDirectory` as a static library and module. Each student
/// module is then **one** `swiftc -O` invocation: the student's target sources plus a generated `@main`
/// calling ``ExerciseHarness/main(_:)``, linked with the cached library. The build runs in the ``Sandbox``
/// (policy ``SandboxPolicy/studentBuild``) in a fresh folder with its own clang module cache, so nothing a
/// build writes is shared with another student's build.
///
/// Measured on a 2-core x86_64 machine with Swift 6.3.1: ExerciseKit ~4 s once; a student module ~2 s.
public actor SwiftModuleBuilder {
    /// The compiler.
    public let toolchain: SwiftToolchain
    /// Where compiled ExerciseKit versions are kept.
    public let cacheDirectory: URL
    /// The limits of a student build.
    public let buildPolicy: SandboxPolicy

    private var library: URL?

    /// Flags of every compilation; part of the cache key.
    static let optimization = "-O"

    /// A builder using `toolchain` (by default ``SwiftToolchain/find()``) and a cache folder
    /// (by default `$TMPDIR/belay-swift-cache`).
    public init(
        toolchain: SwiftToolchain? = nil, cacheDirectory: URL? = nil, buildPolicy: SandboxPolicy = .studentBuild
    ) throws {
        self.toolchain = try toolchain ?? SwiftToolchain.find()
        self.cacheDirectory =
            cacheDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("belay-swift-cache")
        self.buildPolicy = buildPolicy
    }

    /// The folder holding `libExerciseKit.a` and `ExerciseKit.swiftmodule`, compiling them on first use.
    ///
    /// Safe to call concurrently (callers wait for the one compilation) and across processes (the result is
    /// moved into place atomically).
    public func exerciseKitLibrary() throws -> URL {
        if let library { return library }
        var hash = FNV1a()
        hash.add(toolchain.version)
        hash.add(Self.optimization)
        hash.add(String(ExerciseKitSources.fingerprint))
        let key = String(hash.value, radix: 16)
        let target = cacheDirectory.appendingPathComponent("ExerciseKit-\(key)")
        let fm = FileManager.default
        if fm.fileExists(atPath: target.appendingPathComponent("libExerciseKit.a").path) {
            library = target
            return target
        }
        try Workspace.makeDirectory(cacheDirectory, mode: 0o755)
        let staging = cacheDirectory.appendingPathComponent("staging-\(UUID().uuidString)")
        try Workspace.makeDirectory(staging, mode: 0o755)
        defer { try? fm.removeItem(at: staging) }
        var sources: [String] = []
        for file in ExerciseKitSources.files {
            try Workspace.write(Data(file.text.utf8), to: staging.appendingPathComponent("src/\(file.name)"))
            sources.append("src/\(file.name)")
        }
        let arguments = [
            toolchain.swiftc, Self.optimization, "-parse-as-library", "-module-name", "ExerciseKit",
            "-emit-module", "-emit-module-path", "out/ExerciseKit.swiftmodule", "-emit-library", "-static",
            "-o", "out/libExerciseKit.a", "-module-cache-path", "module-cache", "-swift-version", "6",
        ] + sources
        try Workspace.makeDirectory(staging.appendingPathComponent("out"), mode: 0o755)
        let outcome = ProcessRunner(
            executable: toolchain.swiftc, arguments: arguments, environment: Self.buildEnvironment(home: staging.path).map { "\($0.key)=\($0.value)" },
            workingDirectory: staging.path, stdin: Data(), resultChannel: false, wallSeconds: 300,
            maxOutputBytes: 1 << 20, maxResultBytes: 0, sweepUID: nil
        ).run()
        guard outcome.termination == .exited(0) else {
            throw SwiftBuildError.exerciseKitFailed(String(decoding: outcome.stderr + outcome.stdout, as: UTF8.self))
        }
        for file in (try? fm.contentsOfDirectory(atPath: staging.appendingPathComponent("out").path)) ?? [] {
            chmod(staging.appendingPathComponent("out/\(file)").path, 0o644)
        }
        if rename(staging.appendingPathComponent("out").path, target.path) != 0, !fm.fileExists(atPath: target.path) {
            throw SwiftBuildError.fileSystem(path: target.path, message: String(cString: strerror(errno)))
        }
        library = target
        return target
    }

    /// Builds the student package at `package` in `workspace` (an empty folder the caller owns and removes).
    ///
    /// A student's mistake (no conforming type, several, a compile error, a build over its limits) is a value:
    /// ``SwiftModuleBuild/problem``. Thrown errors are the grader's problems.
    public func build(package: URL, in workspace: URL) async throws -> SwiftModuleBuild {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let library = try exerciseKitLibrary()

        let located: StudentSources
        switch StudentSources.locate(in: package) {
        case .success(let sources): located = sources
        case .failure(let problem): return SwiftModuleBuild(problem: problem.description, seconds: elapsed())
        }
        let buildDirectory = workspace.appendingPathComponent("build")
        try Workspace.makeDirectory(buildDirectory, mode: 0o700)
        let relativeSources = try located.copy(into: buildDirectory)
        try Workspace.write(
            Data(
                """
                import ExerciseKit

                @main enum _BelayHarnessMain {
                    static func main() { ExerciseHarness.main(\(located.typeName).self) }
                }

                """.utf8), to: buildDirectory.appendingPathComponent("_BelayHarnessMain.swift"))

        let arguments = [
            Self.optimization, "-parse-as-library", "-module-name", located.moduleName, "-swift-version", "6",
            "-I", library.path, "-L", library.path, "-lExerciseKit", "-module-cache-path", "module-cache",
            "-o", "harness",
        ] + relativeSources + ["_BelayHarnessMain.swift"]
        let (result, _) = await Sandbox.run(
            executable: toolchain.swiftc, arguments: arguments, workingDirectory: buildDirectory,
            environment: Self.buildEnvironment(home: buildDirectory.path), policy: buildPolicy)
        let executable = buildDirectory.appendingPathComponent("harness")
        guard result.succeeded, FileManager.default.fileExists(atPath: executable.path) else {
            let diagnostics = Diagnostics.firstLines(
                of: result.stderrText + result.stdoutText, removing: buildDirectory.path + "/")
            let problem: String
            if case .exited = result.termination {
                problem = "Your module does not compile:\n" + diagnostics
            } else {
                problem = "Compiling your module " + result.explanation(policy: buildPolicy) + ".\n" + diagnostics
            }
            return SwiftModuleBuild(
                problem: problem, typeName: located.typeName, seconds: elapsed(), sandbox: result)
        }
        return SwiftModuleBuild(
            executable: executable, reflection: located.reflection, typeName: located.typeName, seconds: elapsed(),
            sandbox: result)
    }

    static func buildEnvironment(home: String) -> [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home]
    }
}

/// A compiled student module, or why there is none.
public struct SwiftModuleBuild: Sendable {
    /// The harness executable, when the module compiled.
    public var executable: URL?
    /// The student's `Reflection.md`, if the package has one (at most 1 MiB).
    public var reflection: Data?
    /// Why there is no executable, in words for the student (compiler diagnostics included); `nil` on success.
    public var problem: String?
    /// The student's type conforming to `LeakyPipelineExercises`.
    public var typeName: String?
    /// Seconds spent (excluding a first-time ExerciseKit compilation is not guaranteed: it is included once).
    public var seconds: Double
    /// The compiler's sandboxed run, when there was one.
    public var sandbox: SandboxResult?

    init(
        executable: URL? = nil, reflection: Data? = nil, problem: String? = nil, typeName: String? = nil,
        seconds: Double, sandbox: SandboxResult? = nil
    ) {
        self.executable = executable
        self.reflection = reflection
        self.problem = problem
        self.typeName = typeName
        self.seconds = seconds
        self.sandbox = sandbox
    }
}

/// Compiler output cut down for a student.
enum Diagnostics {
    /// At most `limit` lines from the first `error:` line on (or from the start), with `prefix` removed.
    static func firstLines(of output: String, removing prefix: String, limit: Int = 30) -> String {
        let lines = output.replacingOccurrences(of: prefix, with: "").split(separator: "\n", omittingEmptySubsequences: false)
        let start = lines.firstIndex { $0.contains("error:") } ?? lines.startIndex
        var kept = Array(lines[start...].prefix(limit))
        while kept.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { kept.removeLast() }
        let more = lines.count - start - kept.count
        return kept.joined(separator: "\n") + (more > 0 ? "\n... (\(more) more lines)" : "")
    }
}
