import ExerciseKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What happened to one task of a student's Swift module (`Output`: the route catalogue's answers).
public enum TaskOutcome<Output: Sendable & Hashable>: Sendable, Hashable {
    /// The function returned; `seconds` is the time spent in the student's code.
    case answered(Output, seconds: Double)
    /// No answer; the message says why in words fit for the student.
    case failed(TaskFailure)

    /// The answer, if there is one.
    public var output: Output? {
        if case .answered(let output, _) = self { return output }
        return nil
    }
}

/// Why a task has no answer.
public struct TaskFailure: Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Hashable {
        /// Past the wall-clock or CPU limit (an infinite loop, or far too slow).
        case timedOut
        /// Killed by a signal: a Swift trap (`fatalError`, index out of range, force-unwrapping `nil`), a memory
        /// error, running out of memory.
        case crashed(signal: Int32)
        /// The program exited by itself (`exit(n)`) before answering.
        case exited(status: Int32)
        /// Printed or returned more than the limits allow.
        case outputTooLarge
        /// Ended normally but wrote no answer.
        case noResult
        /// Wrote something that is not this run's answer.
        case malformedResult
    }

    /// The kind of failure.
    public var kind: Kind
    /// What happened, for the student: the task, the limit or signal, and the first lines of standard error.
    public var message: String

    public var description: String { message }
}

/// Everything a run of a student's Swift package produced: plain values for the route's checks.
public struct SwiftSubmissionRun<Catalogue: ExerciseCatalogue>: Sendable {
    /// The student's type conforming to the route's exercise protocol, when found.
    public var typeName: String?
    /// Why the module could not be built (compiler diagnostics, or no conforming type); then `responses` is empty.
    public var compileError: String?
    /// When the package was refused before compiling (no conforming type, a link leading outside the package,
    /// ...): where, what and how to fix it; `compileError` then holds its description.
    public var packageProblem: PackageProblem?
    /// How the module was built, for the student: only the conforming type's target is compiled, and the
    /// manifest, plugins, macro targets and other targets are ignored (see ``SwiftModuleBuild/notes``).
    public var buildNotes: [String]
    /// One outcome per task that was asked.
    public var responses: [Catalogue.Task: TaskOutcome<Catalogue.Output>]
    /// Standard output and error of each task's run (capped), for diagnostics only.
    public var logs: [Catalogue.Task: String]
    /// Sandbox limits that could not be applied on this machine (empty when all were).
    public var limitsNotApplied: [String]
    /// Seconds spent compiling.
    public var buildSeconds: Double
    /// Seconds spent running the tasks.
    public var runSeconds: Double
}

/// Builds a student's Swift package and runs each task in its own sandboxed process, for the route whose tasks
/// `Catalogue` lists.
public struct SwiftSubmissionRunner<Catalogue: ExerciseCatalogue>: Sendable {
    /// The shared builder (one per batch: it compiles ExerciseKit once).
    public var builder: SwiftModuleBuilder
    /// The limits of one task's run.
    public var runPolicy: SandboxPolicy
    /// The route's track: its exercise protocol, catalogue and kit modules.
    public var track: SwiftTrack

    /// A runner over `builder` with `runPolicy` for each task; `modules` are the route's own kit modules (none
    /// when its exercise protocol is in ExerciseKit).
    public init(
        _ catalogue: Catalogue.Type = Catalogue.self, builder: SwiftModuleBuilder, runPolicy: SandboxPolicy = .studentRun,
        modules: [SwiftKitModule] = []
    ) {
        self.builder = builder
        self.runPolicy = runPolicy
        track = SwiftTrack(Catalogue.self, modules: modules)
    }

    /// Builds the package at `package` and answers `inputs`, one process per task, in order.
    ///
    /// A task that hangs, crashes, floods its output or answers nonsense fails alone: the other tasks still run.
    /// Only inputs ever reach the student's process. Everything happens in a fresh temporary folder that is
    /// removed afterwards.
    ///
    /// - Throws: ``SwiftBuildError`` when the grader itself cannot work (no toolchain, ExerciseKit broken, disk).
    public func run(package: URL, inputs: [Catalogue.Input]) async throws -> SwiftSubmissionRun<Catalogue> {
        let session = try await open(package: package)
        for input in inputs {
            _ = try await session.answer(input)
        }
        return await session.run
    }

    /// Builds the package at `package` once and returns a session that answers tasks one at a time, so that a
    /// grader can choose each task's input from earlier answers (label the student's own cleaned labels, say).
    ///
    /// - Throws: ``SwiftBuildError`` when the grader itself cannot work. A compile error is not thrown: the
    ///   session's `run.compileError` says it, and every task then fails with it.
    public func open(package: URL) async throws -> SwiftModuleSession<Catalogue> {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("belay-submission-\(UUID().uuidString)")
        // Searchable but not listable by others: each run's uid reaches its own folder only.
        try Workspace.makeDirectory(workspace, mode: 0o711)
        let build: SwiftModuleBuild
        do {
            // The build counts against the same memory total as the tasks (``SandboxPolicy/memoryGroup``).
            build = try await builder.build(
                package: package, in: workspace, track: track, memoryGroup: runPolicy.memoryGroup)
        } catch {
            try? SafeRemove.remove(workspace)
            throw error
        }
        return SwiftModuleSession(workspace: workspace, build: build, runPolicy: runPolicy)
    }
    /// Turns one sandboxed run into the task's outcome.
    static func outcome(task: Catalogue.Task, result: SandboxResult, data: Data?, nonce: String, policy: SandboxPolicy)
        -> TaskOutcome<Catalogue.Output>
    {
        let name = "`\(Self.functionName(task))`"
        let stderr = Diagnostics.firstLines(of: result.stderrText, removing: "", limit: 10)
        let detail = stderr.isEmpty ? "" : "\nIts error output begins:\n\(stderr)"
        func failure(_ kind: TaskFailure.Kind, _ text: String) -> TaskOutcome<Catalogue.Output> {
            .failed(TaskFailure(kind: kind, message: text + detail))
        }
        switch result.termination {
        case .timedOut:
            return failure(.timedOut, "\(name) \(result.explanation(policy: policy)); is there an infinite loop?")
        case .signaled(SIGXCPU):
            return failure(.timedOut, "\(name) \(result.explanation(policy: policy)); is there an infinite loop?")
        case .signaled(let signal):
            return failure(.crashed(signal: signal), "\(name) \(result.explanation(policy: policy)).")
        case .outputLimitExceeded, .resultLimitExceeded:
            return failure(.outputTooLarge, "\(name) \(result.explanation(policy: policy)).")
        case .failedToStart(let reason):
            return failure(.noResult, "\(name) could not be started by the grader: \(reason).")
        case .exited(let status) where status != 0:
            return failure(.exited(status: status), "\(name) ended the program with exit status \(status) before answering.")
        case .exited:
            break
        }
        guard let data, !data.isEmpty else {
            return failure(.noResult, "\(name) ended the program before answering (did it call exit()?).")
        }
        // Size, then nonce and task, then the answer itself: nothing of a stray or forged reply is decoded, and
        // a malformed one with the right nonce fails this task alone.
        do {
            let response = try HarnessResponse<Catalogue>.read(data, nonce: nonce, task: task, maxBytes: policy.maxResultBytes)
            return .answered(response.output, seconds: response.seconds)
        } catch {
            return failure(.malformedResult, "The answer of \(name) could not be read back (\(error)).")
        }
    }

    /// The run's whole environment: only the Swift runtime's crash backtracer is switched off (it would spend
    /// the task's time limit; the task already names the function that crashed).
    static var environment: [String: String] { ["SWIFT_BACKTRACE": "enable=no"] }

    /// The Swift name of the function behind `task`, from the route's catalogue.
    static func functionName(_ task: Catalogue.Task) -> String { Catalogue.describe(task).signature }

    static func log(_ result: SandboxResult) -> String {
        let limit = 4096
        return "stdout:\n" + String(result.stdoutText.prefix(limit)) + "\nstderr:\n" + String(result.stderrText.prefix(limit))
    }

    /// 128 random bits in hex, from the system generator.
    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }
}

/// One built student module, answering tasks one sandboxed process each. Removes its workspace when released.
///
/// An actor: its record of what happened (``run``) and its run counter belong to it alone, so any number of tasks
/// may call ``answer(_:)`` at once. Each call runs its own process in its own folder (`run-<n>-<task>`, `n` taken
/// before the first suspension, so never shared); the calls then proceed in parallel, and each outcome is written
/// into ``run`` when its process ends. When two concurrent calls ask the same task, ``run`` keeps the outcome of
/// the one that ended last; the value returned by ``answer(_:)`` is always the caller's own.
public actor SwiftModuleSession<Catalogue: ExerciseCatalogue> {
    /// What has happened so far: build facts, every answered task's outcome and log. `runSeconds` sums the
    /// tasks' own times (concurrent calls overlap).
    public private(set) var run: SwiftSubmissionRun<Catalogue>
    private let workspace: URL
    private let build: SwiftModuleBuild
    private let runPolicy: SandboxPolicy
    private var counter = 0

    init(workspace: URL, build: SwiftModuleBuild, runPolicy: SandboxPolicy) {
        self.workspace = workspace
        self.build = build
        self.runPolicy = runPolicy
        run = SwiftSubmissionRun(
            typeName: build.typeName, compileError: build.problem, packageProblem: build.packageProblem,
            buildNotes: build.notes, responses: [:], logs: [:], limitsNotApplied: build.sandbox?.unappliedLimits ?? [],
            buildSeconds: build.seconds, runSeconds: 0)
    }

    deinit { try? SafeRemove.remove(workspace) }  // however deep the student made it

    /// Answers one task in a fresh sandboxed process. A module that did not compile fails every task with the
    /// compiler's message.
    ///
    /// - Throws: ``SwiftBuildError`` only for the grader's own problems (disk, encoding).
    public func answer(_ input: Catalogue.Input) async throws -> TaskOutcome<Catalogue.Output> {
        let task = Catalogue.task(of: input)
        guard let executable = build.executable else {
            let outcome = TaskOutcome<Catalogue.Output>.failed(
                TaskFailure(kind: .noResult, message: "the module did not compile: \(build.problem ?? "unknown error")"))
            run.responses[task] = outcome
            return outcome
        }
        let start = DispatchTime.now().uptimeNanoseconds
        counter += 1
        let directory = workspace.appendingPathComponent("run-\(counter)-\(task.rawValue.filter { $0.isLetter || $0.isNumber })")
        try Workspace.makeDirectory(directory, mode: 0o700)
        defer { try? SafeRemove.remove(directory) }
        let harness = directory.appendingPathComponent("harness")
        do {
            try FileManager.default.copyItem(at: executable, to: harness)
        } catch {
            throw SwiftBuildError.fileSystem(path: harness.path, message: "\(error)")
        }
        chmod(harness.path, 0o755)
        if let reflection = build.reflection {
            try Workspace.write(reflection, to: directory.appendingPathComponent(Reflection.fileName))
        }
        let nonce = SwiftSubmissionRunner<Catalogue>.makeNonce()
        let request: Data
        do {
            request = try HarnessCoding.encoder().encode(HarnessRequest<Catalogue>(nonce: nonce, input: input))
        } catch {
            throw SwiftBuildError.fileSystem(path: "request", message: "cannot encode the request: \(error)")
        }
        let (result, data) = await Sandbox.run(
            executable: harness.path, arguments: [], workingDirectory: directory,
            environment: SwiftSubmissionRunner<Catalogue>.environment, stdin: request, policy: runPolicy, resultChannel: true)
        let outcome = SwiftSubmissionRunner<Catalogue>.outcome(task: task, result: result, data: data, nonce: nonce, policy: runPolicy)
        run.responses[task] = outcome
        run.logs[task] = SwiftSubmissionRunner<Catalogue>.log(result)
        for limit in result.unappliedLimits where !run.limitsNotApplied.contains(limit) {
            run.limitsNotApplied.append(limit)
        }
        run.runSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return outcome
    }
}
