import BelaySandbox
import BelayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs `script` with `/bin/sh -c` in a fresh directory (mode 0711 parents so a private uid can use it).
func runShell(
    _ script: String, policy: SandboxPolicy = .studentRun, environment: [String: String] = [:],
    stdin: Data = Data(), resultChannel: Bool = false
) async throws -> (SandboxResult, Data?, TemporaryDirectory) {
    let dir = try TemporaryDirectory(prefix: "belay-sandbox-test")
    chmod(dir.path, 0o711)
    let work = dir.file("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let (result, data) = await Sandbox.run(
        executable: "/bin/sh", arguments: ["-c", script], workingDirectory: work, environment: environment,
        stdin: stdin, policy: policy, resultChannel: resultChannel)
    return (result, data, dir)
}

/// A quick policy for tests: 3 s wall and CPU.
func quickPolicy(_ change: (inout SandboxPolicy) -> Void = { _ in }) -> SandboxPolicy {
    var policy = SandboxPolicy.studentRun
    policy.wallSeconds = 3
    policy.cpuSeconds = 3
    change(&policy)
    return policy
}

let isRoot = geteuid() == 0

/// Processes of the host (this one excluded) whose command line contains `marker` and that still have a live
/// thread: a zombie thread-group leader whose other threads run counts as alive.
func processes(containing marker: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { Int32($0) != nil && Int32($0) != getpid() }.compactMap { pid in
        guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !raw.isEmpty else { return nil }
        let line = String(decoding: raw.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        guard line.contains(marker) else { return nil }
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let live = threads.contains { thread in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/stat", encoding: .utf8) else {
                return false
            }
            return !stat.contains(") Z ") && !stat.contains(") X ")
        }
        return live ? "\(pid): \(line)" : nil
    }
}

@Suite(.serialized, .timeLimit(.minutes(45)))
struct SandboxTests {
    @Test func exitCodesAndOutputsAreCaptured() async throws {
        let (result, _, dir) = try await runShell("echo hello; echo oops >&2; exit 3")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(3))
        #expect(result.stdoutText == "hello\n")
        #expect(result.stderrText == "oops\n")
    }

    @Test func signalsAreReported() async throws {
        let (result, _, dir) = try await runShell("kill -SEGV $$")
        defer { dir.cleanup() }
        #expect(result.termination == .signaled(SIGSEGV))
        #expect(result.explanation(policy: .studentRun).contains("crashed"))
    }

    @Test func standardInputIsPassedAndTheEnvironmentIsEmpty() async throws {
        let (result, _, dir) = try await runShell(
            "cat; env | grep -v '^PWD=' | grep -v '^SHLVL=' | grep -v '^_=' | wc -l", stdin: Data("ping\n".utf8))
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0))
        #expect(result.stdoutText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["ping", "0"])
        #expect(result.appliedLimits.contains("environment: empty"))
    }

    @Test func largeStandardInputDoesNotDeadlock() async throws {
        let input = Data(repeating: UInt8(ascii: "x"), count: 5 << 20)
        let (result, _, dir) = try await runShell("wc -c", stdin: input)
        defer { dir.cleanup() }
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "\(5 << 20)")
    }

    @Test func timeoutKillsTheWholeGroup() async throws {
        let marker = "belay-sleep-\(UInt32.random(in: 0...UInt32.max))"
        let (result, _, dir) = try await runShell(
            "sh -c 'sleep 60; : \(marker)' & sh -c 'sleep 60; : \(marker)' & wait",
            policy: quickPolicy { $0.wallSeconds = 1 })
        defer { dir.cleanup() }
        #expect(result.termination == .timedOut)
        #expect(result.explanation(policy: quickPolicy { $0.wallSeconds = 1 }).contains("timed out after 1 s"))
        #expect(processes(containing: marker).isEmpty)
    }

    @Test func backgroundProcessesDieWhenTheRunEnds() async throws {
        let marker = "belay-bg-\(UInt32.random(in: 0...UInt32.max))"
        let (result, _, dir) = try await runShell(
            "sh -c 'sleep 60; : \(marker)' >/dev/null 2>&1 & setsid sh -c 'sleep 60; : \(marker)' & echo started")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0))
        if isRoot {
            // Even the one that left the process group with setsid: the private uid's sweep finds it.
            #expect(processes(containing: marker).isEmpty)
        }
    }

    @Test func cpuLimitStopsABusyLoop() async throws {
        let policy = quickPolicy { $0.cpuSeconds = 1; $0.wallSeconds = 10 }
        let (result, _, dir) = try await runShell("while :; do :; done", policy: policy)
        defer { dir.cleanup() }
        #expect(result.termination == .signaled(SIGXCPU) || result.termination == .signaled(SIGKILL))
        #expect(result.explanation(policy: policy).contains("CPU time limit (1 s)"))
    }

    @Test func memoryBalloonFails() async throws {
        let policy = quickPolicy { $0.memoryBytes = 512 << 20 }
        let (result, _, dir) = try await runShell(
            "exec python3 -c 'x = bytearray(2_000_000_000); print(len(x))'", policy: policy)
        defer { dir.cleanup() }
        #expect(result.termination == .exited(1))
        #expect(result.stderrText.contains("MemoryError"))
        #expect(result.stdoutText.isEmpty)
    }

    @Test func hugeOutputIsCappedAndStopped() async throws {
        let policy = quickPolicy { $0.maxOutputBytes = 64 << 10 }
        let (result, _, dir) = try await runShell("yes belay", policy: policy)
        defer { dir.cleanup() }
        #expect(result.termination == .outputLimitExceeded)
        #expect(result.stdout.count == 64 << 10)
    }

    @Test func forkBombIsContained() async throws {
        // Every process forks forever; the process limit stops growth, the timeout and sweep end it.
        let marker = "belay-bomb-\(UInt32.random(in: 0...UInt32.max))"
        let policy = quickPolicy { $0.wallSeconds = 2; $0.maxProcesses = 20 }
        let bomb = "import os  # \(marker)\nwhile True:\n    try: os.fork()\n    except OSError: pass"
        let (result, _, dir) = try await runShell("exec python3 -c '\(bomb)'", policy: policy)
        defer { dir.cleanup() }
        #expect(result.termination == .timedOut)
        #expect(processes(containing: marker).isEmpty)
        if isRoot {
            #expect(result.appliedLimits.contains { $0.hasPrefix("private uid") })
        }
        // The machine still forks fine, and nothing of the bomb is left.
        let (after, _, dir2) = try await runShell("echo ok")
        defer { dir2.cleanup() }
        #expect(after.stdoutText == "ok\n")
    }

    @Test(.enabled(if: isRoot, "needs root to drop privileges"))
    func cannotReadAPrivateRootFile() async throws {
        let secrets = try TemporaryDirectory(prefix: "belay-secret")
        defer { secrets.cleanup() }
        chmod(secrets.path, 0o755)  // even a listable folder: the file itself is 0600
        let secret = secrets.file("rubric.txt")
        try Data("expected answers".utf8).write(to: secret)
        chmod(secret.path, 0o600)
        let (result, _, dir) = try await runShell("cat '\(secret.path)' && echo READ || echo DENIED")
        defer { dir.cleanup() }
        #expect(result.stdoutText.contains("DENIED"))
        #expect(!result.stdoutText.contains("expected answers"))
    }

    @Test(.enabled(if: isRoot, "needs root to drop privileges"))
    func cannotWriteOutsideItsFolder() async throws {
        let outside = try TemporaryDirectory(prefix: "belay-outside")
        defer { outside.cleanup() }
        chmod(outside.path, 0o755)
        let target = outside.file("pwned.txt")
        let (result, _, dir) = try await runShell(
            "echo x > '\(target.path)' 2>/dev/null; echo x > /etc/belay-pwned 2>/dev/null; echo x > /tmp/belay-pwned-\(getpid()); "
                + "echo mine > here.txt; cat here.txt")
        defer { dir.cleanup() }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        if result.appliedLimits.contains(where: { $0.hasPrefix("private /tmp") }) {
            #expect(!FileManager.default.fileExists(atPath: "/tmp/belay-pwned-\(getpid())"))
        }
        try? FileManager.default.removeItem(atPath: "/tmp/belay-pwned-\(getpid())")
        #expect(!FileManager.default.fileExists(atPath: "/etc/belay-pwned"))
        #expect(result.stdoutText == "mine\n")
    }

    @Test func networkIsIsolatedOrReported() async throws {
        let (result, _, dir) = try await runShell("cat /proc/net/dev | tail -n +3 | wc -l")
        defer { dir.cleanup() }
        if result.appliedLimits.contains(where: { $0.hasPrefix("no network") }) {
            // Only the loopback device exists in an empty network namespace.
            #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        } else {
            #expect(result.unappliedLimits.contains { $0.hasPrefix("network isolation") })
        }
    }

    @Test func resultChannelIsSeparateFromStandardOutput() async throws {
        let (result, data, dir) = try await runShell(
            "echo '{\"forged\":true}'; printf 'genuine' >&3", resultChannel: true)
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0))
        #expect(data == Data("genuine".utf8))
        #expect(result.stdoutText == "{\"forged\":true}\n")
    }

    @Test func resultChannelIsCapped() async throws {
        let policy = quickPolicy { $0.maxResultBytes = 1000 }
        let (result, data, dir) = try await runShell("yes >&3", policy: policy, resultChannel: true)
        defer { dir.cleanup() }
        #expect(result.termination == .resultLimitExceeded)
        #expect(data?.count == 1000)
    }

    @Test func missingExecutableIsAStartFailureOrExit() async throws {
        let dir = try TemporaryDirectory(prefix: "belay-sandbox-test")
        defer { dir.cleanup() }
        let (result, _) = await Sandbox.run(
            executable: "/nonexistent/program", arguments: [], workingDirectory: dir.url, policy: quickPolicy())
        #expect(!result.succeeded)
    }
}
