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

    private var libraries: [UInt64: URL] = [:]

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
        try library(modules: [.exerciseKit])
    }

    /// The folder holding ExerciseKit and `track`'s own modules (`lib<Name>.a` and `<Name>.swiftmodule` each),
    /// compiling them on first use; see ``exerciseKitLibrary()``.
    public func library(for track: SwiftTrack) throws -> URL {
        try library(modules: [.exerciseKit] + track.modules)
    }

    /// Compiles `modules` in order (each sees the ones before it) into one cached folder.
    private func library(modules: [SwiftKitModule]) throws -> URL {
        var hash = FNV1a()
        hash.add(toolchain.version)
        hash.add(Self.optimization)
        for module in modules { hash.add(String(module.fingerprint)) }
        if let library = libraries[hash.value] { return library }
        let key = String(hash.value, radix: 16)
        let target = cacheDirectory.appendingPathComponent("\(modules.map(\.name).joined(separator: "+"))-\(key)")
        let fm = FileManager.default
        let complete = modules.allSatisfy {
            fm.fileExists(atPath: target.appendingPathComponent("lib\($0.name).a").path)
        }
        if complete {
            libraries[hash.value] = target
            return target
        }
        try Workspace.makeDirectory(cacheDirectory, mode: 0o755)
        let staging = cacheDirectory.appendingPathComponent("staging-\(UUID().uuidString)")
        try Workspace.makeDirectory(staging, mode: 0o755)
        defer { try? fm.removeItem(at: staging) }
        try Workspace.makeDirectory(staging.appendingPathComponent("out"), mode: 0o755)
        for module in modules {
            var sources: [String] = []
            for file in module.files {
                let path = "src/\(module.name)/\(file.name)"
                try Workspace.write(Data(file.text.utf8), to: staging.appendingPathComponent(path))
                sources.append(path)
            }
            let arguments = [
                toolchain.swiftc, Self.optimization, "-parse-as-library", "-module-name", module.name,
                "-emit-module", "-emit-module-path", "out/\(module.name).swiftmodule", "-emit-library", "-static",
                "-o", "out/lib\(module.name).a", "-I", "out", "-module-cache-path", "module-cache", "-swift-version", "6",
            ] + sources
            let outcome = ProcessRunner(
                executable: toolchain.swiftc, arguments: arguments,
                environment: Self.buildEnvironment(home: staging.path).map { "\($0.key)=\($0.value)" },
                workingDirectory: staging.path, stdin: Data(), resultChannel: false, wallSeconds: 300,
                maxOutputBytes: 1 << 20, maxResultBytes: 0, sweepUID: nil
            ).run()
            guard outcome.termination == .exited(0) else {
                throw SwiftBuildError.exerciseKitFailed(
                    module.name + ": " + String(decoding: outcome.stderr + outcome.stdout, as: UTF8.self))
            }
        }
        for file in (try? fm.contentsOfDirectory(atPath: staging.appendingPathComponent("out").path)) ?? [] {
            chmod(staging.appendingPathComponent("out/\(file)").path, 0o644)
        }
        if rename(staging.appendingPathComponent("out").path, target.path) != 0, !fm.fileExists(atPath: target.path) {
            throw SwiftBuildError.fileSystem(path: target.path, message: String(cString: strerror(errno)))
        }
        libraries[hash.value] = target
        return target
    }

    /// Builds the student package at `package` in `workspace` (an empty folder the caller owns and removes), for
    /// `track`: the type conforming to its exercise protocol is handed to its catalogue by a generated `@main`.
    ///
    /// A student's mistake (no conforming type, several, a compile error, a build over its limits) is a value:
    /// ``SwiftModuleBuild/problem``. Thrown errors are the grader's problems.
    /// - Parameter memoryGroup: the student's memory total, shared with their tasks (``SandboxMemoryGroup``).
    public func build(package: URL, in workspace: URL, track: SwiftTrack, memoryGroup: SandboxMemoryGroup? = nil) async throws
        -> SwiftModuleBuild
    {
        var buildPolicy = self.buildPolicy
        buildPolicy.memoryGroup = memoryGroup
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let library = try library(for: track)

        let located: StudentSources
        switch StudentSources.locate(in: package, track: track) {
        case .success(let sources): located = sources
        case .failure(let problem):
            return SwiftModuleBuild(problem: problem.description, packageProblem: problem, seconds: elapsed())
        }
        let ignored = IgnoredParts.read(package: package, located: located)
        let buildDirectory = workspace.appendingPathComponent("build")
        try Workspace.makeDirectory(buildDirectory, mode: 0o700)
        let relativeSources = try located.copy(into: buildDirectory)
        try Workspace.write(
            Data(
                (track.moduleNames.map { "import \($0)\n" }.joined() + """

                @main enum _BelayHarnessMain {
                    static func main() { ExerciseHarness.main(\(track.catalogueName).self) { \(located.typeName)() } }
                }

                """).utf8), to: buildDirectory.appendingPathComponent("_BelayHarnessMain.swift"))

        let arguments = [
            Self.optimization, "-parse-as-library", "-module-name", located.moduleName, "-swift-version", "6",
            "-I", library.path, "-L", library.path,
        ] + track.moduleNames.reversed().map { "-l\($0)" } + [
            "-module-cache-path", "module-cache",
            "-o", "harness",
        ] + relativeSources + ["_BelayHarnessMain.swift"]
        let (result, _) = await Sandbox.run(
            executable: toolchain.swiftc, arguments: arguments, workingDirectory: buildDirectory,
            environment: Self.buildEnvironment(home: buildDirectory.path), policy: buildPolicy)
        let executable = buildDirectory.appendingPathComponent("harness")
        let notes = ignored.notes(compiledFiles: relativeSources.count)
        guard result.succeeded, FileManager.default.fileExists(atPath: executable.path) else {
            let output = result.stderrText + result.stdoutText
            let diagnostics = Diagnostics.firstLines(of: output, removing: buildDirectory.path + "/")
            var problem: String
            if case .exited = result.termination {
                problem = "Your module does not compile:\n"
                if let why = ignored.explanation(ofCompilerOutput: output) { problem += why + "\n" }
                problem += diagnostics
            } else {
                problem = "Compiling your module " + result.explanation(policy: buildPolicy) + ".\n" + diagnostics
            }
            return SwiftModuleBuild(
                problem: problem, typeName: located.typeName, notes: notes, seconds: elapsed(), sandbox: result)
        }
        return SwiftModuleBuild(
            executable: executable, reflection: located.reflection, typeName: located.typeName, notes: notes,
            seconds: elapsed(), sandbox: result)
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
    /// When the package itself was refused before compiling (no conforming type, a link leading outside the
    /// package, ...): where, what and how to fix it. `problem` then holds its description.
    public var packageProblem: PackageProblem?
    /// What the student should know about how the module was built, whether or not it compiled: Belay compiled
    /// only the conforming type's target, and ignored the manifest, plugins, macro targets and other targets.
    public var notes: [String]
    /// The student's type conforming to the route's exercise protocol.
    public var typeName: String?
    /// Seconds spent (excluding a first-time ExerciseKit compilation is not guaranteed: it is included once).
    public var seconds: Double
    /// The compiler's sandboxed run, when there was one.
    public var sandbox: SandboxResult?

    init(
        executable: URL? = nil, reflection: Data? = nil, problem: String? = nil, packageProblem: PackageProblem? = nil,
        typeName: String? = nil, notes: [String] = [], seconds: Double, sandbox: SandboxResult? = nil
    ) {
        self.executable = executable
        self.reflection = reflection
        self.problem = problem
        self.packageProblem = packageProblem
        self.notes = notes
        self.typeName = typeName
        self.seconds = seconds
        self.sandbox = sandbox
    }
}

/// What a student's package holds beside the compiled target, all of it ignored: Belay never evaluates
/// `Package.swift` (it is only read as text, for these notes), never builds or runs a plugin or a macro target, and
/// compiles no target but the one with the conforming type.
struct IgnoredParts {
    /// The compiled target, e.g. `Sources/LeakyPipeline`.
    var target: String
    /// The other folders under `Sources/`.
    var otherTargets: [String]
    /// Macro targets named in `Package.swift` (`.macro(name: "...")`).
    var macros: [String]
    /// Plugins named in `Package.swift` (`.plugin(name: "...")`) or folders under `Plugins/`.
    var plugins: [String]
    /// Whether `Package.swift` names package dependencies (`.package(url: ...)`).
    var hasDependencies: Bool

    static func read(package: URL, located: StudentSources) -> IgnoredParts {
        let manifest = StudentSources.readRegularFile(package.appendingPathComponent("Package.swift").path, limit: 1 << 20)
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        func names(_ regex: Regex<(Substring, Substring)>) -> [String] {
            manifest.matches(of: regex).map { String($0.output.1) }
        }
        var plugins = names(/\.plugin\(\s*name:\s*"([^"]+)"/)
        // Plugins/ is listed only when it is a real folder: no names from outside the package reach the notes.
        let pluginsPath = package.appendingPathComponent("Plugins").path
        var info = stat()
        let isFolder = lstat(pluginsPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        let folders = isFolder ? (try? FileManager.default.contentsOfDirectory(atPath: pluginsPath)) ?? [] : []
        for folder in folders.sorted() where !folder.hasPrefix(".") && !plugins.contains(folder) { plugins.append(folder) }
        return IgnoredParts(
            target: located.target, otherTargets: located.otherTargets, macros: names(/\.macro\(\s*name:\s*"([^"]+)"/),
            plugins: plugins, hasDependencies: manifest.contains(/\.package\(\s*(?:url|path|id|name):/))
    }

    /// The build's notes for the student.
    func notes(compiledFiles: Int) -> [String] {
        var notes = [
            "Belay compiled only \(target) (\(compiledFiles) Swift file\(compiledFiles == 1 ? "" : "s")) with ExerciseKit: "
                + "Package.swift, build plugins and macro targets are never run, and dependencies are not fetched."
        ]
        var skipped: [String] = []
        if !macros.isEmpty { skipped.append("macro target\(macros.count == 1 ? "" : "s") " + Self.list(macros)) }
        if !plugins.isEmpty { skipped.append("plugin\(plugins.count == 1 ? "" : "s") " + Self.list(plugins)) }
        let others = otherTargets.filter { !macros.contains($0) }
        if !others.isEmpty { skipped.append("target\(others.count == 1 ? "" : "s") " + Self.list(others.map { "Sources/\($0)" })) }
        if hasDependencies { skipped.append("the package dependencies") }
        if !skipped.isEmpty { notes.append("Ignored: " + skipped.joined(separator: "; ") + ".") }
        return notes
    }

    /// Why a compile error may come from something Belay ignores (a macro, another target), or `nil`.
    func explanation(ofCompilerOutput output: String) -> String? {
        let unbuilt = Set(otherTargets + macros)
        let missing = output.matches(of: /no such module '([^']+)'/).map { String($0.output.1) }.filter { unbuilt.contains($0) }
        // A module missing one of its own targets, in a package with macro targets, is most likely using a macro.
        let usesMacro = output.contains("external macro implementation type") || (!macros.isEmpty && !missing.isEmpty)
        var parts: [String] = []
        if usesMacro {
            parts.append(
                "Belay does not support macros: it compiles only \(target), and never builds or runs a macro "
                    + "implementation (your own macro targets included). Write out the code the macro would generate.")
        }
        let otherMissing = Array(Set(missing).subtracting(macros)).sorted()
        if !otherMissing.isEmpty {
            parts.append(
                "Belay compiles only \(target): other targets of your package (\(Self.list(otherMissing))) are not built. "
                    + "Move the code you need into \(target).")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    private static func list(_ names: [String]) -> String { names.map { "`\($0)`" }.joined(separator: ", ") }
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
