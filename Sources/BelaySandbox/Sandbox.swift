import Foundation
import Synchronization
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
                    "privilege drop: the grader is not root (uid \(getuid())); the run keeps this user's rights on what it can see")
            }
        }

        var command: [String] = []
        if let prlimit = host.prlimit {
            var nproc = policy.maxProcesses
            if uid == nil, !host.isRoot {
                // RLIMIT_NPROC counts every thread of the uid, so leave room for the ones that exist, for the
                // grader's own threads to come, and for this process's other runs in flight.
                let existing = ProcessRunner.threadCount(ownedBy: getuid())
                nproc += existing + 64 + Self.sharedUIDRuns.withLock { $0 } * policy.maxProcesses
                unapplied.append(
                    "process limit shared with the grader's user (\(existing) threads already counted)")
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
        // Namespaces: a private PID namespace whose process 1 is belay-sandbox-init (own /proc, nothing outlives
        // the run), IPC (System V segments, message queues), network, and mounts (private temporary folders,
        // hidden grader folders).
        var namespaces: [String] = []
        var initPrefix: [String] = []
        let usesInit = host.pidIsolation && Self.initExecutable != nil
        if usesInit, let initPath = Self.initExecutable {
            namespaces += ["--pid", "--fork", "--mount-proc"]
            initPrefix = [initPath, "--status-fd", "\(resultChannel ? 4 : 3)"]
            applied.append("private process namespace (own /proc; every process killed when the run ends)")
        } else {
            unapplied.append(
                "private process namespace: "
                    + (Self.initExecutable == nil
                        ? "belay-sandbox-init not found beside the executable"
                        : "unshare --pid not permitted here")
                    + "; leftover processes are found by uid instead")
        }
        if let group = policy.memoryGroup {
            if usesInit {
                initPrefix += ["--cgroup", group.procsFile]
                applied.append(group.description)
            } else {
                unapplied.append("memory total per student: needs the private process namespace")
            }
        }
        if !policy.network {
            if host.networkIsolation != nil {
                namespaces.append("-n")
                applied.append("no network (empty network namespace)")
            } else {
                unapplied.append("network isolation: \(host.networkIsolationProblem)")
            }
        }
        if host.ipcIsolation {
            namespaces.append("-i")
            applied.append("private System V IPC and POSIX message queues")
        } else {
            unapplied.append("IPC isolation: unshare -i not permitted here; shared memory segments are shared")
        }
        var mountScript: [String] = []
        if policy.privateTemporaryDirectories {
            if host.mountIsolation, let shell = host.shell, let mount = HostCapabilities.findTool("mount") {
                namespaces.append("-m")
                let plan = Self.coverPlan(policy: policy, workingDirectory: workingDirectory.path)
                mountScript = [
                    shell, "-c",
                    Self.mountScript(
                        plan: plan, mount: mount, size: max(policy.maxFileBytes, 1 << 20), readOnlyMounts: policy.readOnlyMounts),
                    "belay-sandbox",
                ]
                applied.append("private " + plan.replaced.joined(separator: ", "))
                for (target, source) in policy.readOnlyMounts.sorted(by: { $0.key < $1.key }) {
                    applied.append("\(source) visible read-only at \(target)")
                }
                if !plan.hidden.isEmpty { applied.append("hidden from the run: " + plan.hidden.joined(separator: ", ")) }
            } else {
                if !policy.readOnlyMounts.isEmpty {
                    // The run would start a program it cannot reach: better not to start it.
                    let result = SandboxResult(
                        termination: .failedToStart("read-only views of \(policy.readOnlyMounts.values.sorted().joined(separator: ", ")) need a mount namespace (unshare -m), not permitted here"),
                        stdout: Data(), stderr: Data(), wallSeconds: 0, cpuSeconds: 0, appliedLimits: applied, unappliedLimits: unapplied)
                    if let uid { await SandboxUserPool.shared.release(uid) }
                    return (result, nil)
                }
                unapplied.append("private temporary folders: unshare -m not permitted; /tmp is shared")
                if !policy.hiddenPaths.isEmpty {
                    unapplied.append("hiding grader folders (\(policy.hiddenPaths.count)): no mount namespace")
                }
            }
        }
        if let unshare = HostCapabilities.findTool("unshare"), !namespaces.isEmpty {
            if host.userNamespace { namespaces.insert("-r", at: 0) }
            command += [unshare] + namespaces + ["--"] + (initPrefix.isEmpty ? [] : initPrefix + ["--"]) + mountScript
        }
        if let uid, let setpriv = host.setpriv {
            command += [setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--no-new-privs", "--"]
            handOver(workingDirectory, to: uid)
        } else if host.userNamespace, namespaces.first == "-r", let setpriv = host.setpriv {
            // Root inside the user namespace only: without capabilities it cannot undo the mounts above.
            command += [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"]
            applied.append("a user namespace of the grader's uid, without capabilities")
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
            maxResultBytes: policy.maxResultBytes, sweepUID: uid, statusChannel: usesInit)
        let oomBefore = policy.memoryGroup?.outOfMemoryKills ?? 0
        let sharesUID = uid == nil && !host.isRoot
        if sharesUID { Self.sharedUIDRuns.withLock { $0 += 1 } }
        var outcome = await runOffPool { runner.run() }
        if sharesUID { Self.sharedUIDRuns.withLock { $0 -= 1 } }
        if let uid { await SandboxUserPool.shared.release(uid) }
        // The sandbox's own set-up failing (a folder it could not cover) is the grader's problem, not the student's.
        if outcome.termination == .exited(125), outcome.stderr.starts(with: Data("belay-sandbox".utf8)) {
            outcome.termination = .failedToStart(String(decoding: outcome.stderr, as: UTF8.self))
        }
        let memoryTotalReached = (policy.memoryGroup?.outOfMemoryKills ?? 0) > oomBefore

        let result = SandboxResult(
            termination: outcome.termination, stdout: outcome.stdout, stderr: outcome.stderr,
            wallSeconds: outcome.wallSeconds, cpuSeconds: outcome.cpuSeconds, appliedLimits: applied,
            unappliedLimits: unapplied, memoryTotalReached: memoryTotalReached)
        return (result, resultChannel ? outcome.result : nil)
    }

    /// Runs of this process in flight under the grader's own uid (no private uid): each may hold up to its
    /// ``SandboxPolicy/maxProcesses`` threads of that uid, which a new run's `RLIMIT_NPROC` must leave room for.
    private static let sharedUIDRuns = Mutex(0)

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
    /// Whether `unshare --pid --fork --mount-proc` works here.
    var pidIsolation = false
    /// Whether `unshare -i` works here.
    var ipcIsolation = false
    /// Whether the grader (not root) makes its namespaces inside a user namespace of its own (`unshare -r`).
    var userNamespace = false

    static let current: HostCapabilities = {
        let isRoot = geteuid() == 0
        let unshare = findTool("unshare")
        // A grader that is not root gets its namespaces inside a user namespace of its own (`unshare -r`), where
        // the kernel allows that: it is root there, and the sandbox drops every capability before the run starts.
        var userNamespace = false
        var base: [String] = []
        func probe(_ arguments: [String], _ command: [String]) -> ProcessRunner.Outcome? {
            guard let unshare else { return nil }
            return ProcessRunner(
                executable: unshare, arguments: [unshare] + base + arguments + ["--"] + command,
                environment: ["PATH=/usr/bin:/bin:/usr/sbin:/sbin"], workingDirectory: "/", stdin: Data(),
                resultChannel: false, wallSeconds: 5, maxOutputBytes: 4096, maxResultBytes: 0, sweepUID: nil
            ).run()
        }
        let truePath = findTool("true") ?? "/bin/true"
        if !isRoot, probe(["-r"], [truePath])?.termination == .exited(0) {
            userNamespace = true
            base = ["-r"]
        }
        var isolation: String?
        var problem = "unshare not found"
        if let outcome = probe(["-n"], [truePath]) {
            if outcome.termination == .exited(0) {
                isolation = unshare
            } else {
                let reason = String(decoding: outcome.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                problem = "unshare -n not permitted here" + (reason.isEmpty ? "" : " (\(reason))")
            }
        }
        var mounts = false
        if let shell = findTool("sh") {
            mounts = probe(["-m"], [shell, "-c", "mount -t tmpfs tmpfs /mnt"])?.termination == .exited(0)
        }
        return HostCapabilities(
            isRoot: isRoot, prlimit: findTool("prlimit"), setpriv: findTool("setpriv"), networkIsolation: isolation,
            networkIsolationProblem: problem, mountIsolation: mounts, shell: findTool("sh"),
            pidIsolation: probe(["--pid", "--fork", "--mount-proc"], [truePath])?.termination == .exited(0),
            ipcIsolation: probe(["-i"], [truePath])?.termination == .exited(0), userNamespace: userNamespace)
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
    /// System folders a run needs, left visible (read-only for the run's uid, as on the host).
    static let systemPaths = [
        "/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc", "/proc", "/dev", "/sys",
    ]

    /// Folders writable by everyone (or holding other programs' sockets) that each run gets a private, empty,
    /// writable copy of. `/run` holds sockets (databases, D-Bus) and `/run/lock`.
    static let replacedPaths = ["/tmp", "/var/tmp", "/dev/shm", "/run", "/dev/mqueue"]

    /// What the mount script does: private copies of ``replacedPaths``, and empty read-only folders (or
    /// `/dev/null`) over everything else a run must not see.
    struct CoverPlan: Equatable {
        /// Folders replaced by private writable ones.
        var replaced: [String]
        /// Folders and files covered by empty read-only ones.
        var hidden: [String]
    }

    /// The plan for a run in `workingDirectory`: everything outside the system folders, the Swift toolchain,
    /// ``SandboxPolicy/visiblePaths`` and the working directory is hidden (the grader's home, class folder,
    /// reports, rubric and data wherever they are), as are ``SandboxPolicy/hiddenPaths`` and every folder inside
    /// the visible ones that everyone may write to.
    static func coverPlan(policy: SandboxPolicy, workingDirectory: String) -> CoverPlan {
        let fm = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var info = stat()
            return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
        let replaced = replacedPaths.filter(isDirectory)
        let work = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
        var keep = systemPaths + policy.visiblePaths.map { URL(fileURLWithPath: $0).standardizedFileURL.path } + [work]
        if let toolchain = toolchainRoot { keep.append(toolchain) }
        keep += replaced
        keep = keep.filter { $0 != "/" && !$0.isEmpty }
        func isKept(_ path: String) -> Bool { keep.contains { path == $0 || path.hasPrefix($0 + "/") } }
        func holdsKept(_ path: String) -> Bool { keep.contains { $0.hasPrefix(path + "/") } }

        var hidden: [String] = []
        // Everything outside the kept folders, walking down only toward kept folders.
        var pending = ["/"]
        while let folder = pending.popLast() {
            let children = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for child in children {
                let path = folder == "/" ? "/" + child : folder + "/" + child
                var info = stat()
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { continue }
                if isKept(path) { continue }
                if holdsKept(path), (info.st_mode & S_IFMT) == S_IFDIR {
                    pending.append(path)
                } else {
                    hidden.append(path)
                }
            }
        }
        // Named paths inside kept folders (Belay installed under /usr/local, say), never the run's own folder.
        for raw in policy.hiddenPaths {
            let path = URL(fileURLWithPath: raw).standardizedFileURL.path
            guard path != "/", isKept(path), !systemPaths.contains(path), path != work, !work.hasPrefix(path + "/"),
                !replaced.contains(where: { path == $0 || path.hasPrefix($0 + "/") }),
                !keep.contains(where: { $0.hasPrefix(path + "/") }), access(path, F_OK) == 0
            else { continue }
            hidden.append(path)
        }
        // Folders everyone may write to inside the kept ones.
        for path in worldWritableFolders
        where !replaced.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) && path != work
            && !work.hasPrefix(path + "/") && !path.hasPrefix(work + "/")
        {
            hidden.append(path)
        }
        var seen = Set<String>()
        return CoverPlan(replaced: replaced, hidden: hidden.filter { seen.insert($0).inserted }.sorted())
    }

    /// The shell script run as root in the new mount namespace before the run starts: it mounts the plan and
    /// execs the rest of the command. A mount that fails stops the run (exit 125, "belay-sandbox: …" on
    /// standard error): a run is never started with less protection than it reports.
    static func mountScript(plan: CoverPlan, mount: String, size: UInt64, readOnlyMounts: [String: String] = [:]) -> String {
        func quoted(_ path: String) -> String { "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var script = ""
        for path in plan.replaced {
            let q = quoted(path)
            script += "\(mount) -t tmpfs -o size=\(size),mode=1777,nosuid,nodev tmpfs \(q) "
                + "|| { echo \"belay-sandbox: cannot make \(q) private\" >&2; exit 125; }; "
        }
        // Before anything is hidden: the folders behind them may be among the hidden ones.
        let mkdir = HostCapabilities.findTool("mkdir") ?? "mkdir"
        for (target, source) in readOnlyMounts.sorted(by: { $0.key < $1.key }) {
            let (t, s) = (quoted(target), quoted(source))
            script += "\(mkdir) -p \(t) && \(mount) --bind \(s) \(t) && \(mount) -o remount,bind,ro,nosuid,nodev \(t) "
                + "|| { echo \"belay-sandbox: cannot show \(s) read-only at \(t)\" >&2; exit 125; }; "
        }
        for path in plan.hidden {
            let q = quoted(path)
            script += "if [ -d \(q) ] && ! [ -L \(q) ]; then \(mount) -t tmpfs -o size=4k,mode=0555,ro,nosuid,nodev tmpfs \(q) "
                + "|| { echo \"belay-sandbox: cannot hide \(q)\" >&2; exit 125; }; "
                + "elif [ -e \(q) ] && ! [ -L \(q) ]; then \(mount) --bind /dev/null \(q) "
                + "|| { echo \"belay-sandbox: cannot hide \(q)\" >&2; exit 125; }; fi; "
        }
        return script + "exec \"$@\""
    }

    /// The Swift toolchain's root (`/opt/swift` for `/opt/swift/usr/bin/swiftc`): compiled modules load the
    /// Swift runtime from it.
    static let toolchainRoot: String? = {
        guard let toolchain = try? SwiftToolchain.find() else { return nil }
        let resolved = URL(fileURLWithPath: toolchain.swiftc).resolvingSymlinksInPath()
        let root = resolved.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        return root == "/" ? nil : root
    }()

    /// `belay-sandbox-init` beside the running executable (the `belay` command, or the test bundle).
    static let initExecutable: String? = {
        var folders: [String] = []
        if let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: own).deletingLastPathComponent().path)
        }
        if let main = Bundle.main.executableURL { folders.append(main.deletingLastPathComponent().path) }
        return folders.map { $0 + "/belay-sandbox-init" }.first { access($0, X_OK) == 0 }
    }()

    /// Folders that everyone may write to inside the system folders and the toolchain (three levels deep,
    /// without following links), found once per process.
    static let worldWritableFolders: [String] = {
        var roots = systemPaths.filter { $0 != "/proc" && $0 != "/sys" }
        if let toolchain = toolchainRoot { roots.append(toolchain) }
        var found: [String] = []
        var pending = roots.map { ($0, 0) }
        var visited = 0
        while let (folder, depth) = pending.popLast(), visited < 200_000 {
            visited += 1
            var info = stat()
            guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            if info.st_mode & S_IWOTH != 0 {
                found.append(folder)
                continue
            }
            guard depth < 3, let children = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for child in children { pending.append((folder + "/" + child, depth + 1)) }
        }
        return found.sorted()
    }()
}
