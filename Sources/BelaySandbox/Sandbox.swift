import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs untrusted programs (a student's compiled module, its compilation) with limits.
///
/// Every run:
/// - starts in a new session, so it and everything it starts share one process group, killed as a whole on
///   timeout, on too much output, and when the run ends (no process outlives its run);
/// - gets rlimits through `prlimit` (CPU, address space, file size, open files, processes, no core files);
/// - gets an empty network namespace (`unshare -n`) unless the policy allows the network, where permitted;
/// - when the grader is root, runs as a **private uid** taken from a pool (`setpriv --reuid --regid
///   --clear-groups --no-new-privs`): it can read only world-readable files, cannot write outside its working
///   directory (which the sandbox hands over to that uid), and its `RLIMIT_NPROC` counts only its own
///   processes, so a fork bomb stops at ``SandboxPolicy/maxProcesses`` without touching other runs; at the end
///   every process of that uid is killed, including any that left the process group with `setsid`; the pool's
///   uids are leased per Belay process (``UIDLease``), so that sweep never reaches another Belay's runs;
/// - has exactly the environment it is given (none by default) and its own working directory;
/// - reports results on a pipe at descriptor 3 (when asked), never by parsing standard output.
///
/// Limits that cannot be applied (not root, no namespaces) are reported in
/// ``SandboxResult/unappliedLimits``, never silently dropped.
public enum Sandbox {
    /// Runs `executable` (an absolute path the run's uid can execute) and returns how it ended, its capped
    /// output and, when `resultChannel` is true, what it wrote to descriptor 3.
    ///
    /// When running as root with ``SandboxPolicy/dropPrivileges``, `workingDirectory` and its contents are
    /// handed over (`chown`) to the run's uid and made private (mode 0700) for the run.
    public static func run(
        executable: String, arguments: [String], workingDirectory: URL, environment: [String: String] = [:],
        stdin: Data = Data(), policy: SandboxPolicy, resultChannel: Bool = false
    ) async -> (SandboxResult, resultData: Data?) {
        let host = HostCapabilities.current
        var applied: [String] = []
        var unapplied: [String] = []

        var uid: uid_t?
        if policy.dropPrivileges {
            if host.isRoot, host.setpriv != nil {
                do {
                    let private_ = try await SandboxUserPool.shared.acquire()
                    uid = private_
                    applied.append("private uid \(private_) (no supplementary groups, no new privileges)")
                } catch {
                    // Running student code as root instead would be worse than not running it.
                    let result = SandboxResult(
                        termination: .failedToStart("no private uid: \(error)"), stdout: Data(), stderr: Data(),
                        wallSeconds: 0, cpuSeconds: 0, appliedLimits: applied, unappliedLimits: unapplied)
                    return (result, nil)
                }
            } else if host.isRoot {
                unapplied.append("privilege drop: setpriv not found; the run keeps root's rights")
            } else {
                unapplied.append(
                    "privilege drop: the grader is not root (uid \(getuid())); the run can read what this user can")
            }
        }

        var command: [String] = []
        if let prlimit = host.prlimit {
            var nproc = policy.maxProcesses
            if uid == nil {
                // RLIMIT_NPROC counts every process of the uid, so leave room for the ones that exist.
                let existing = host.isRoot ? 0 : ProcessRunner.processes(ownedBy: getuid()).count
                nproc += existing
                if !host.isRoot {
                    unapplied.append(
                        "process limit shared with the grader's user (\(existing) processes already counted)")
                }
            }
            command += [
                prlimit, "--cpu=\(policy.cpuSeconds):\(policy.cpuSeconds + 1)", "--as=\(policy.memoryBytes)",
                "--fsize=\(policy.maxFileBytes)", "--nofile=\(policy.maxOpenFiles)", "--nproc=\(nproc)", "--core=0",
                "--",
            ]
            applied += [
                "CPU time \(policy.cpuSeconds) s", "address space \(SandboxResult.bytes(policy.memoryBytes))",
                "file size \(SandboxResult.bytes(policy.maxFileBytes))", "open files \(policy.maxOpenFiles)",
                "processes \(policy.maxProcesses)" + (uid == nil && host.isRoot ? " (not enforced for root)" : ""),
            ]
        } else {
            unapplied.append("CPU, memory, file size, open files and process limits: prlimit not found")
        }
        var namespaces: [String] = []
        if !policy.network {
            if host.networkIsolation != nil {
                namespaces.append("-n")
                applied.append("no network (empty network namespace)")
            } else {
                unapplied.append("network isolation: \(host.networkIsolationProblem)")
            }
        }
        var mountScript: [String] = []
        if policy.privateTemporaryDirectories {
            if host.mountIsolation, let shell = host.shell, let mount = HostCapabilities.findTool("mount") {
                namespaces.append("-m")
                // Runs as root inside the new mount namespace (private propagation), then execs the rest.
                let size = max(policy.maxFileBytes, 1 << 20)
                var script = "for d in /tmp /var/tmp /dev/shm; do if [ -d $d ]; then "
                    + "\(mount) -t tmpfs -o size=\(size),mode=1777,nosuid,nodev tmpfs $d || exit 125; fi; done; "
                let hidden = Self.hideable(policy.hiddenPaths, workingDirectory: workingDirectory.path)
                for path in hidden {
                    let quoted = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
                    script += "if [ -d \(quoted) ]; then \(mount) -t tmpfs -o size=4k,mode=0555,ro,nosuid,nodev tmpfs \(quoted) || exit 125; "
                        + "elif [ -e \(quoted) ]; then \(mount) --bind /dev/null \(quoted) || exit 125; fi; "
                }
                script += "exec \"$@\""
                mountScript = [shell, "-c", script, "belay-sandbox"]
                applied.append("private /tmp, /var/tmp and /dev/shm")
                if !hidden.isEmpty { applied.append("hidden from the run: " + hidden.joined(separator: ", ")) }
            } else {
                unapplied.append("private temporary folders: unshare -m not permitted; /tmp is shared")
                if !policy.hiddenPaths.isEmpty {
                    unapplied.append("hiding grader folders (\(policy.hiddenPaths.count)): no mount namespace")
                }
            }
        }
        if let unshare = host.networkIsolation ?? (host.mountIsolation ? HostCapabilities.findTool("unshare") : nil),
            !namespaces.isEmpty
        {
            command += [unshare] + namespaces + ["--"] + mountScript
        }
        if let uid, let setpriv = host.setpriv {
            command += [setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--no-new-privs", "--"]
            handOver(workingDirectory, to: uid)
        }
        applied += [
            "wall time \(SandboxResult.seconds(policy.wallSeconds)) s",
            "output \(SandboxResult.bytes(UInt64(policy.maxOutputBytes))) per stream",
            "environment: \(environment.isEmpty ? "empty" : environment.keys.sorted().joined(separator: ", "))",
        ]
        // Inside the working directory, run by relative path: a private /tmp may hide the absolute one.
        var program = executable
        let base = workingDirectory.standardizedFileURL.path + "/"
        if policy.privateTemporaryDirectories, program.hasPrefix(base) { program = "./" + program.dropFirst(base.count) }
        command += [program] + arguments

        let runner = ProcessRunner(
            executable: command[0], arguments: command,
            environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            workingDirectory: workingDirectory.path, stdin: stdin, resultChannel: resultChannel,
            wallSeconds: policy.wallSeconds, maxOutputBytes: policy.maxOutputBytes,
            maxResultBytes: policy.maxResultBytes, sweepUID: uid)
        let outcome = await runOffPool { runner.run() }
        if let uid { await SandboxUserPool.shared.release(uid) }

        let result = SandboxResult(
            termination: outcome.termination, stdout: outcome.stdout, stderr: outcome.stderr,
            wallSeconds: outcome.wallSeconds, cpuSeconds: outcome.cpuSeconds, appliedLimits: applied,
            unappliedLimits: unapplied)
        return (result, resultChannel ? outcome.result : nil)
    }

    /// Makes `directory` and everything in it belong to `uid` (mode 0700 on the directory itself).
    private static func handOver(_ directory: URL, to uid: uid_t) {
        let root = directory.path
        lchown(root, uid, uid)
        chmod(root, 0o700)
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        for case let relative as String in walker {
            lchown(root + "/" + relative, uid, uid)
        }
    }

    /// Runs blocking work on a thread of its own, keeping the cooperative pool free.
    private static func runOffPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}

/// What this machine lets the sandbox do, probed once.
struct HostCapabilities: Sendable {
    var isRoot: Bool
    var prlimit: String?
    var setpriv: String?
    /// `unshare` when `unshare -n` works here.
    var networkIsolation: String?
    var networkIsolationProblem: String
    /// Whether `unshare -m` (and `mount` inside it) works here.
    var mountIsolation: Bool
    /// `/bin/sh`.
    var shell: String?

    static let current: HostCapabilities = {
        let prlimit = findTool("prlimit")
        let setpriv = findTool("setpriv")
        var isolation: String?
        var problem = "unshare not found"
        if let unshare = findTool("unshare") {
            let probe = ProcessRunner(
                executable: unshare, arguments: [unshare, "-n", "--", "/bin/true"], environment: [],
                workingDirectory: "/", stdin: Data(), resultChannel: false, wallSeconds: 5, maxOutputBytes: 4096,
                maxResultBytes: 0, sweepUID: nil
            ).run()
            if probe.termination == .exited(0) {
                isolation = unshare
            } else {
                let reason = String(decoding: probe.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                problem = "unshare -n not permitted here" + (reason.isEmpty ? "" : " (\(reason))")
            }
        }
        var mounts = false
        if let unshare = findTool("unshare"), let shell = findTool("sh") {
            let probe = ProcessRunner(
                executable: unshare, arguments: [unshare, "-m", "--", shell, "-c", "mount -t tmpfs tmpfs /mnt"],
                environment: ["PATH=/usr/bin:/bin:/usr/sbin:/sbin"], workingDirectory: "/", stdin: Data(),
                resultChannel: false, wallSeconds: 5, maxOutputBytes: 4096, maxResultBytes: 0, sweepUID: nil
            ).run()
            mounts = probe.termination == .exited(0)
        }
        return HostCapabilities(
            isRoot: geteuid() == 0, prlimit: prlimit, setpriv: setpriv, networkIsolation: isolation,
            networkIsolationProblem: problem, mountIsolation: mounts, shell: findTool("sh"))
    }()

    /// `/usr/bin/<name>` or `/bin/<name>`; deliberately not `$PATH`, which a grader's user may not control.
    static func findTool(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"].map { $0 + name }.first { access($0, X_OK) == 0 }
    }
}

/// Private uids for concurrent runs, so that `RLIMIT_NPROC` and the final sweep concern one run only.
///
/// The uids come from a ``UIDLease`` taken on first use and held for the life of the process, so no other
/// Belay process hands them out: a sweep only ever touches this process's own runs.
actor SandboxUserPool {
    /// The pool of the process.
    static let shared = SandboxUserPool()

    private let leaseDirectory: String
    private var lease: UIDLease?
    private var free: [uid_t] = []
    private var next: uid_t = 0
    private var waiters: [CheckedContinuation<uid_t, Never>] = []

    /// A pool leasing its range in `leaseDirectory`.
    init(leaseDirectory: String = UIDLease.defaultDirectory) {
        self.leaseDirectory = leaseDirectory
    }

    /// A uid no other run (of this process or any other Belay process) uses until it is released; waits when all
    /// are in use. Leftovers of the uid (from a Belay process that died without sweeping) are killed first.
    ///
    /// - Throws: ``UIDLease/Failure`` when no uid range can be leased.
    func acquire() async throws -> uid_t {
        if lease == nil { lease = try UIDLease(directory: leaseDirectory) }
        guard let range = lease?.uids else { throw UIDLease.Failure(description: "no uid lease") }
        let uid: uid_t
        if let reused = free.popLast() {
            uid = reused
        } else if next < UIDLease.rangeSize {
            uid = range.lowerBound + next
            next += 1
        } else {
            uid = await withCheckedContinuation { waiters.append($0) }
        }
        ProcessRunner.killAll(uid: uid)
        return uid
    }

    /// Gives a uid back once none of its processes are left.
    func release(_ uid: uid_t) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: uid)
        } else {
            free.append(uid)
        }
    }
}

extension Sandbox {
    /// System folders a run needs; a hidden path that is one of them or contains one is not hidden.
    static let essentialPaths = [
        "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/dev", "/sys", "/opt/swift", "/tmp",
        "/var/tmp",
    ]

    /// The paths of `paths` that can be hidden without hiding the system or the run's own folder.
    static func hideable(_ paths: [String], workingDirectory: String) -> [String] {
        var result: [String] = []
        let keep = essentialPaths + [workingDirectory]
        for raw in paths {
            let path = URL(fileURLWithPath: raw).standardizedFileURL.path
            guard path != "/", !path.isEmpty, !result.contains(path) else { continue }
            let coversEssential = keep.contains { $0 == path || $0.hasPrefix(path + "/") }
            let insideTemporary = path.hasPrefix("/tmp/") || path.hasPrefix("/var/tmp/") || path.hasPrefix("/dev/shm/")
            if coversEssential || insideTemporary { continue }
            result.append(path)
        }
        return result
    }
}
