import Foundation

/// How a sandboxed run ended, what it printed, and which limits were (not) in force.
public struct SandboxResult: Sendable, Hashable {
    /// How the run ended.
    public enum Termination: Sendable, Hashable {
        /// The process exited with this status.
        case exited(Int32)
        /// The process was killed by this signal (for example `SIGXCPU` at the CPU limit, `SIGKILL` after it,
        /// `SIGSEGV`, `SIGILL`/`SIGTRAP` for a Swift runtime trap, `SIGXFSZ` at the file-size limit).
        case signaled(Int32)
        /// The wall-clock limit passed; the sandbox killed the run.
        case timedOut
        /// Standard output or standard error passed ``SandboxPolicy/maxOutputBytes``; the sandbox killed the run.
        case outputLimitExceeded
        /// The result channel passed ``SandboxPolicy/maxResultBytes``; the sandbox killed the run.
        case resultLimitExceeded
        /// The process could not be started (the grader's problem, not the student's).
        case failedToStart(String)
    }

    /// How the run ended.
    public var termination: Termination
    /// Standard output, at most ``SandboxPolicy/maxOutputBytes``.
    public var stdout: Data
    /// Standard error, at most ``SandboxPolicy/maxOutputBytes``.
    public var stderr: Data
    /// Wall-clock seconds from start to the end of the run.
    public var wallSeconds: Double
    /// CPU seconds (user + system) of the process and its reaped children.
    public var cpuSeconds: Double
    /// Limits in force, in words (for example `"CPU time 10 s"`).
    public var appliedLimits: [String]
    /// Limits that could not be applied and why (for example `"network isolation: unshare -n not permitted"`).
    public var unappliedLimits: [String]
    /// Whether the kernel killed a process of the run at the student's memory total (``SandboxPolicy/memoryGroup``).
    public var memoryTotalReached = false

    /// Standard output as text (invalid UTF-8 repaired).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text (invalid UTF-8 repaired).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Whether the process exited with status 0.
    public var succeeded: Bool { termination == .exited(0) }

    /// The ending in words fit for a student, naming the limit that was hit, e.g. "timed out after 10 s".
    public func explanation(policy: SandboxPolicy) -> String {
        switch termination {
        case .exited(let status):
            "exited with status \(status)"
        case .signaled(SIGXCPU):
            "was stopped at the CPU time limit (\(policy.cpuSeconds) s)"
        case .signaled(SIGKILL) where cpuSeconds >= Double(policy.cpuSeconds) - 0.5:
            "was stopped at the CPU time limit (\(policy.cpuSeconds) s)"
        case .signaled(SIGKILL) where memoryTotalReached:
            "was stopped at the memory limit (\(policy.memoryGroup.map { SandboxResult.bytes($0.limit) } ?? "?") in total for the student's processes)"
        case .signaled(SIGXFSZ):
            "was stopped for writing a file larger than \(Self.bytes(policy.maxFileBytes))"
        case .signaled(let signal):
            "crashed (signal \(signal), \(Self.signalName(signal)))" + Self.memoryHint(stderr: stderrText, policy: policy)
        case .timedOut:
            "timed out after \(Self.seconds(policy.wallSeconds)) s (wall-clock limit) and was stopped"
        case .outputLimitExceeded:
            "printed more than \(Self.bytes(UInt64(policy.maxOutputBytes))) and was stopped"
        case .resultLimitExceeded:
            "returned more than \(Self.bytes(UInt64(policy.maxResultBytes))) of results and was stopped"
        case .failedToStart(let reason):
            "could not be started: \(reason)"
        }
    }

    private static func memoryHint(stderr: String, policy: SandboxPolicy) -> String {
        let lowered = stderr.lowercased()
        let memoryWords = ["out of memory", "failed to allocate", "cannot allocate", "allocation failed", "bad_alloc", "memoryerror"]
        guard memoryWords.contains(where: lowered.contains) else { return "" }
        return "; it probably ran out of memory (limit \(bytes(policy.memoryBytes)))"
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV, invalid memory access"
        case SIGILL, SIGTRAP:
            "a Swift runtime trap: index out of range, nil force-unwrapped, integer overflow, fatalError or precondition"
        case SIGABRT: "SIGABRT, aborted"
        case SIGBUS: "SIGBUS, bus error"
        case SIGFPE: "SIGFPE, arithmetic error"
        case SIGKILL: "SIGKILL, killed"
        case SIGXCPU: "SIGXCPU, CPU time limit"
        case SIGXFSZ: "SIGXFSZ, file size limit"
        case SIGPIPE: "SIGPIPE, broken pipe"
        default: "signal \(signal)"
        }
    }

    /// `value` bytes in words: "4 GiB", "512 MiB", "1000 bytes".
    public static func bytes(_ value: UInt64) -> String {
        if value >= 1 << 30, value % (1 << 30) == 0 { return "\(value >> 30) GiB" }
        if value >= 1 << 20, value % (1 << 20) == 0 { return "\(value >> 20) MiB" }
        if value >= 1 << 10, value % (1 << 10) == 0 { return "\(value >> 10) KiB" }
        return "\(value) bytes"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
