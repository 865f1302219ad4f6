import BelaySandbox
import BelayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Whether this run of the suite is the unprivileged one CI makes (`scripts/test-unprivileged`).
let unprivilegedPassExpected = ProcessInfo.processInfo.environment["BELAY_EXPECT_UNPRIVILEGED"] == "1"

/// The sandbox when the grader is not root: no private uid, namespaces inside a user namespace of the grader's
/// own where the kernel allows it, and a report that names every limit it could not apply.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct UnprivilegedSandboxTests {
    @Test(.enabled(if: unprivilegedPassExpected, "run by scripts/test-unprivileged"))
    func thisPassReallyRunsUnprivileged() {
        #expect(geteuid() != 0)
        #expect(getuid() != 0)
    }

    @Test(.enabled(if: !isRoot, "the grader must not be root"))
    func theReportNamesWhatCouldNotBeApplied() async throws {
        let (result, _, dir) = try await runShell("echo ran")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0), "\(result.stderrText)")
        #expect(result.stdoutText == "ran\n")
        #expect(result.unappliedLimits.contains { $0.hasPrefix("privilege drop: the grader is not root") })
        #expect(result.unappliedLimits.contains { $0.hasPrefix("process limit shared with the grader's user") })
        #expect(!result.appliedLimits.contains { $0.hasPrefix("private uid") })
        // Every isolation is either applied or named as missing, never silently dropped.
        for (applied, missing) in [
            ("private process namespace", "private process namespace"), ("no network", "network isolation"),
            ("private System V IPC", "IPC isolation"), ("private /tmp", "private temporary folders"),
        ] {
            #expect(
                result.appliedLimits.contains { $0.hasPrefix(applied) }
                    != result.unappliedLimits.contains { $0.hasPrefix(missing) },
                "\(applied): applied \(result.appliedLimits), not applied \(result.unappliedLimits)")
        }
        if result.appliedLimits.contains(where: { $0.hasPrefix("private process namespace") }) {
            #expect(result.appliedLimits.contains("a user namespace of the grader's uid, without capabilities"))
        }
    }

    /// Root inside the user namespace, but without capabilities: the mounts that hide the grader's folders
    /// cannot be undone, and the run cannot mount anything of its own.
    @Test(.enabled(if: !isRoot, "the grader must not be root"))
    func theRunCannotUndoItsMounts() async throws {
        let (result, _, dir) = try await runShell(
            "umount /run 2>/dev/null && echo UNMOUNTED; mount -t tmpfs tmpfs /tmp 2>/dev/null && echo MOUNTED; "
                + "grep Cap[EP][fr][fm] /proc/self/status")
        defer { dir.cleanup() }
        guard result.appliedLimits.contains("a user namespace of the grader's uid, without capabilities") else {
            #expect(result.unappliedLimits.contains { $0.hasPrefix("private temporary folders") })
            return
        }
        #expect(!result.stdoutText.contains("UNMOUNTED"))
        #expect(!result.stdoutText.contains("MOUNTED"))
        #expect(result.stdoutText.contains("CapEff:\t0000000000000000"), "\(result.stdoutText)")
    }

    /// Without a private uid, a daemon that leaves the process group is still killed: by the PID namespace.
    @Test(.enabled(if: !isRoot, "the grader must not be root"))
    func aDaemonDiesWithTheRunWithoutAPrivateUID() async throws {
        let marker = "belay-unprivileged-daemon-\(UInt32.random(in: 0...UInt32.max))"
        let (result, _, dir) = try await runShell("setsid sh -c 'sleep 60; : \(marker)' & echo started")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0))
        if result.appliedLimits.contains(where: { $0.hasPrefix("private process namespace") }) {
            #expect(processes(containing: marker).isEmpty)
        } else {
            // Not contained: the report must say so, and the test cleans up after it.
            #expect(result.unappliedLimits.contains { $0.hasPrefix("private process namespace") })
            for line in processes(containing: marker) {
                if let pid = pid_t(line.prefix { $0 != ":" }) { kill(pid, SIGKILL) }
            }
        }
    }
}
