import BelaySandbox
import BelayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The system's Python, which stays visible inside the sandbox (it lives under /usr), for attacks a shell cannot
/// make: threads, `memfd`, System V shared memory.
let systemPython = "/usr/bin/python3"
let systemPythonRuns = access(systemPython, X_OK) == 0 || Python.isRequired

/// Whether CI demands every isolation the sandbox offers (`BELAY_REQUIRE_ISOLATION=1`, set by `.ci/run`).
let isolationRequired = ProcessInfo.processInfo.environment["BELAY_REQUIRE_ISOLATION"] == "1"

/// Whether this machine lets Belay make memory groups (cgroup v2 with the memory controller delegated, or a
/// writable cgroup v1 memory hierarchy). Where it does not, runs keep the per-process limit and say so.
let memoryGroupsWork: Bool = {
    guard case .success(let group) = SandboxMemoryGroup.create(limit: 64 << 20) else { return false }
    group.close()
    return true
}()

/// Runs `source` with the system Python in the sandbox.
func runPython(_ source: String, policy: SandboxPolicy = quickPolicy(), arguments: [String] = []) async throws
    -> (SandboxResult, TemporaryDirectory)
{
    let dir = try TemporaryDirectory(prefix: "belay-sandbox-test")
    chmod(dir.path, 0o711)
    let work = dir.file("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let (result, _) = await Sandbox.run(
        executable: systemPython, arguments: ["-c", source] + arguments, workingDirectory: work, policy: policy)
    return (result, dir)
}

/// One test per escape found when the sandbox was attacked (issue 8); each asserts the attack ran and failed.
@Suite(.serialized, .timeLimit(.minutes(45)))
struct SandboxEscapeTests {
    @Test(.enabled(if: isolationRequired, "CI sets BELAY_REQUIRE_ISOLATION=1"))
    func everyIsolationIsAppliedWhereRequired() async throws {
        let (result, _, dir) = try await runShell("true")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0))
        for prefix in [
            "private uid", "private process namespace", "private System V IPC", "no network", "private /tmp",
            "hidden from the run",
        ] {
            #expect(result.appliedLimits.contains { $0.hasPrefix(prefix) }, "\(prefix) not applied: \(result.unappliedLimits)")
        }
    }

    /// Finding 3: forks, `setsid`, forks again, and exits its main thread while another thread runs, so that
    /// `/proc` shows the leader as a zombie. It must not outlive the run.
    @Test(.enabled(if: systemPythonRuns, "needs /usr/bin/python3"))
    func aZombieLeaderDaemonDiesWithTheRun() async throws {
        let marker = "belay-zombie-\(UUID().uuidString)"
        let source = """
            import ctypes, os, sys, threading, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    def beat():
                        while True:
                            with open("beat", "a") as f: f.write("x")
                            time.sleep(0.05)
                    threading.Thread(target=beat).start()
                    time.sleep(0.2)
                    ctypes.CDLL(None).pthread_exit(None)
                os._exit(0)
            time.sleep(0.6)
            print("leader", open("/proc/%d/stat" % os.getpid()).read().split()[2])
            """
        let (result, dir) = try await runPython(source, arguments: [marker])
        defer { dir.cleanup() }
        let beat = dir.file("work/beat")
        #expect(result.termination == .exited(0), "\(result.stderrText)")
        let before = (try? Data(contentsOf: beat))?.count ?? 0
        #expect(before > 0, "the daemon's thread never ran: \(result.stderrText)")
        usleep(400_000)
        let after = (try? Data(contentsOf: beat))?.count ?? 0
        #expect(after == before, "the daemon's thread is still writing after the run")
        #expect(processes(containing: marker).isEmpty)
    }

    /// Finding 4: the grader's command line (holding `--rubric`) and environment are not visible in the run's
    /// `/proc`, and neither are other processes of the host.
    @Test func theGradersCommandLineAndProcessesAreNotVisible() async throws {
        let marker = "belay-grader-secret-\(UUID().uuidString)"
        let neighbour = Process()
        neighbour.executableURL = URL(fileURLWithPath: "/bin/sh")
        neighbour.arguments = ["-c", "sleep 20", marker]
        try neighbour.run()
        defer { neighbour.terminate() }
        let (result, _, dir) = try await runShell(
            "cat /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | tr '\\0' ' '; echo; echo PIDS $(ls -d /proc/[0-9]* | wc -l)")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0))
        #expect(!result.stdoutText.contains(marker))
        #expect(!result.stdoutText.contains("BELAY_"), "the grader's environment leaked")
        if result.appliedLimits.contains(where: { $0.hasPrefix("private process namespace") }) {
            let count = result.stdoutText.split(separator: "\n").last.flatMap { Int($0.split(separator: " ").last ?? "") }
            #expect((count ?? 99) <= 6, "the run sees \(count ?? -1) processes: \(result.stdoutText)")
        } else {
            #expect(result.unappliedLimits.contains { $0.hasPrefix("private process namespace") })
        }
    }

    /// Finding 5: reports, class folders and the grader's own tree outside the temporary folders are hidden
    /// although they are world-readable, without naming them in the policy.
    @Test(.enabled(if: isRoot, "needs root to create a folder outside /tmp and to mount"))
    func foldersOutsideTheSystemAreHiddenWithoutBeingNamed() async throws {
        let root = "/srv/belay-reports-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/alice", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        chmod(root, 0o755)
        chmod(root + "/alice", 0o755)
        try Data("{\"reflection\": \"alice's answers\"}".utf8).write(to: URL(fileURLWithPath: root + "/alice/report.json"))
        chmod(root + "/alice/report.json", 0o644)
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let (result, _, dir) = try await runShell(
            "cat '\(root)/alice/report.json' 2>/dev/null || echo HIDDEN; "
                + "[ -e '\(packageRoot)/Package.swift' ] && echo SOURCES-VISIBLE || echo SOURCES-HIDDEN; "
                + "ls /usr/bin/env >/dev/null && echo SYSTEM-VISIBLE")
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0), "\(result.stderrText)")
        #expect(result.stdoutText.contains("HIDDEN\n"))
        #expect(!result.stdoutText.contains("alice's answers"))
        #expect(result.stdoutText.contains("SOURCES-HIDDEN"))
        #expect(result.stdoutText.contains("SYSTEM-VISIBLE"))
    }

    /// Finding 6: every folder of this machine that everyone may write to (`/run/lock`, `/var/tmp`,
    /// `/dev/shm`, …) is private or read-only in the run: nothing it creates there is left on the host.
    @Test func nothingIsWrittenToWorldWritableFolders() async throws {
        let find = Process()
        find.executableURL = URL(fileURLWithPath: "/usr/bin/find")
        find.arguments = [
            "/", "-maxdepth", "5", "(", "-path", "/proc", "-o", "-path", "/sys", ")", "-prune", "-o", "-type", "d",
            "-perm", "-0002", "-print",
        ]
        let pipe = Pipe()
        find.standardOutput = pipe
        find.standardError = FileHandle.nullDevice
        try find.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        find.waitUntilExit()
        let folders = listing.split(separator: "\n").map(String.init).filter { !$0.contains("belay-sandbox-test") }
        #expect(folders.contains("/tmp"))
        let name = "belay-escape-\(UUID().uuidString)"
        let script = folders.map { "touch '\($0)/\(name)' 2>/dev/null && echo \"wrote \($0)\"" }.joined(separator: "; ")
        let (result, _, dir) = try await runShell(script + "; true")
        defer { dir.cleanup() }
        var left: [String] = []
        for folder in folders where FileManager.default.fileExists(atPath: folder + "/" + name) {
            left.append(folder)
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        if result.appliedLimits.contains(where: { $0.hasPrefix("private /tmp") }) {
            #expect(left.isEmpty, "files left on the host in \(left); the run said: \(result.stdoutText)")
        } else {
            #expect(result.unappliedLimits.contains { $0.hasPrefix("private temporary folders") })
        }
    }

    /// Finding 7: a world-writable Unix socket under `/run` (a database's, say) cannot be reached.
    @Test(.enabled(if: isRoot && systemPythonRuns, "needs root to create a socket under /run, and python3"))
    func unixSocketsOfTheHostCannotBeReached() async throws {
        let path = "/run/belay-test-\(UUID().uuidString.prefix(8)).sock"
        let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(server >= 0)
        defer { close(server); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        chmod(path, 0o777)
        #expect(listen(server, 4) == 0)
        let (result, dir) = try await runPython(
            """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(sys.argv[1]); print("CONNECTED")
            except OSError as e:
                print("REFUSED", e.errno)
            """, arguments: [path])
        defer { dir.cleanup() }
        #expect(result.stdoutText.hasPrefix("REFUSED"), "\(result.stdoutText) \(result.stderrText)")
    }

    /// Finding 8 (shared memory): System V segments made by the run are not the host's and do not outlive it.
    @Test(.enabled(if: systemPythonRuns, "needs /usr/bin/python3"))
    func systemVSharedMemoryStaysInTheRun() async throws {
        let key = Int32.random(in: 0x0100_0000...0x7fff_0000)
        let (result, dir) = try await runPython(
            """
            import ctypes, sys
            libc = ctypes.CDLL(None, use_errno=True)
            ident = libc.shmget(int(sys.argv[1]), 1 << 20, 0o1666)
            print("SEGMENT", ident)
            """, arguments: [String(key)])
        defer { dir.cleanup() }
        #expect(result.stdoutText.hasPrefix("SEGMENT"), "\(result.stderrText)")
        let ident = Int(result.stdoutText.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        #expect(ident >= 0, "the attack did not run: \(result.stdoutText)")
        let table = (try? String(contentsOfFile: "/proc/sysvipc/shm", encoding: .utf8)) ?? ""
        let keys = table.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.flatMap { Int32($0) } }
        if result.appliedLimits.contains(where: { $0.hasPrefix("private System V IPC") }) {
            #expect(!keys.contains(key), "the run's segment is in the host's table after the run")
        } else {
            #expect(result.unappliedLimits.contains { $0.hasPrefix("IPC isolation") })
        }
    }

    /// Finding 8 (memfd): pages written into a `memfd` count against the student's memory total, which stops
    /// the run and says so; without a memory group the report names the per-process limit instead.
    @Test(.enabled(if: systemPythonRuns && memoryGroupsWork, "needs /usr/bin/python3 and memory groups"))
    func memfdPagesCountAgainstTheStudentsTotal() async throws {
        guard case .success(let group) = SandboxMemoryGroup.create(limit: 256 << 20) else {
            Issue.record("no memory group")
            return
        }
        defer { group.close() }
        let policy = quickPolicy { $0.wallSeconds = 20; $0.cpuSeconds = 20; $0.memoryGroup = group }
        let (result, dir) = try await runPython(
            """
            import os
            # Many files, each under the file-size limit, 1 GiB in all: only a total per student stops this.
            block = b"x" * (16 << 20)
            held = []
            for i in range(64):
                if i % 2 == 0:
                    held.append(os.memfd_create("balloon%d" % i))
                os.write(held[-1], block)
            print("HELD", sum(os.fstat(fd).st_size for fd in held) >> 20, "MiB")
            """, policy: policy)
        defer { dir.cleanup() }
        #expect(result.termination == .signaled(SIGKILL), "\(result.termination) \(result.stdoutText)")
        #expect(result.memoryTotalReached)
        #expect(result.appliedLimits.contains(group.description))
        #expect(result.explanation(policy: policy).contains("memory limit (256 MiB in total"))
        #expect(!result.stdoutText.contains("HELD"))
    }

    /// Without a memory group the run keeps the per-process address-space limit and the report says so.
    @Test func withoutAMemoryGroupTheReportNamesThePerProcessLimit() async throws {
        let (result, _, dir) = try await runShell("true")
        defer { dir.cleanup() }
        #expect(result.appliedLimits.contains("address space 2 GiB"))
        #expect(!result.appliedLimits.contains { $0.hasPrefix("memory ") })
    }

    /// A memory group holds every process of the run, children included, and is empty once the run ends.
    @Test(.enabled(if: memoryGroupsWork, "needs memory groups"))
    func aMemoryGroupHoldsTheRunAndIsEmptiedAfterwards() async throws {
        guard case .success(let group) = SandboxMemoryGroup.create(limit: 512 << 20) else {
            Issue.record("no memory group")
            return
        }
        defer { group.close() }
        let policy = quickPolicy { $0.memoryGroup = group }
        let (result, _, dir) = try await runShell("sleep 0.2 & cat /proc/self/cgroup; wait", policy: policy)
        defer { dir.cleanup() }
        #expect(result.termination == .exited(0), "\(result.stderrText)")
        let name = (group.path as NSString).lastPathComponent
        #expect(result.stdoutText.contains(name), "\(result.stdoutText)")
        let left = (try? String(contentsOfFile: group.procsFile, encoding: .utf8)) ?? ""
        #expect(left.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        group.close()
        #expect(!FileManager.default.fileExists(atPath: group.path))
    }

    /// Signals keep their meaning although the program is not process 1 of its namespace: an abort is
    /// SIGABRT, an exit status is itself.
    @Test func exitStatusesAndSignalsAreTheProgramsOwn() async throws {
        let (aborted, _, first) = try await runShell("kill -ABRT $$")
        defer { first.cleanup() }
        #expect(aborted.termination == .signaled(SIGABRT))
        let (exited, _, second) = try await runShell("exit 134")
        defer { second.cleanup() }
        #expect(exited.termination == .exited(134))
    }
}
