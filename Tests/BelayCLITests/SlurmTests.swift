import BelayTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The Slurm recipe run for real: a single-node Slurm (Debian's `slurm-wlm`: `slurmctld` and `slurmd` on
/// localhost, started by the test in a temporary folder, with its own ports) grades a class as a 4-task job array
/// with `recipes/slurm-array.sh`, a dependent job merges the shards, and the merged class files are compared byte
/// for byte with one `belay grade --reproducible` run.
///
/// Runs where Slurm can start (its daemons present, running as root); `BELAY_REQUIRE_SLURM=1` (set by `.ci/run`)
/// makes it run everywhere, so that a Slurm that cannot start fails the test instead of skipping it. Every wait
/// has a deadline, and the daemons are stopped (by process id) however the test ends.
@Suite("Slurm job array recipe", .serialized, .timeLimit(.minutes(45)))
struct SlurmTests {
    static var isRequired: Bool { ProcessInfo.processInfo.environment["BELAY_REQUIRE_SLURM"] == "1" }

    /// Whether a single-node Slurm starts here: decided by starting one (and stopping it).
    static let canStart: Bool = {
        if isRequired { return true }
        guard getuid() == 0, SlurmCluster.tools.allSatisfy({ SlurmCluster.find($0) != nil }) else { return false }
        guard let directory = try? TemporaryDirectory(prefix: "belay-slurm-probe") else { return false }
        defer { directory.cleanup() }
        guard let cluster = try? SlurmCluster.start(in: directory.url) else { return false }
        cluster.stop()
        return true
    }()

    @Test(.enabled(
        if: canStart,
        "needs a single-node Slurm: Debian's slurm-wlm (slurmctld, slurmd, sbatch) and root; CI requires it with BELAY_REQUIRE_SLURM=1"))
    func aJobArrayOfFourShardsMergesToTheBytesOfOneRun() throws {
        let directory = try TemporaryDirectory(prefix: "belay-slurm")
        defer { directory.cleanup() }
        let (klass, data) = try ShardMergeTests.makeClass(in: directory)
        let single = directory.file("single")
        let run = try CLITests.belay(["grade", klass.path, "--out", single.path, "--data", data.path, "--reproducible"])
        try #require(run.status == 0, "\(run.stdout)\n\(run.stderr)")

        let cluster = try SlurmCluster.start(in: directory.file("slurm"))
        defer { cluster.stop() }
        let recipe = CLITests.root.appendingPathComponent("recipes/slurm-array.sh").path
        let environment = [
            "BELAY": CLITests.binary.path, "BELAY_CLASS": klass.path, "BELAY_SHARDS": directory.file("shards").path,
            "BELAY_OUT": directory.file("merged").path, "BELAY_ARGS": "--data \(data.path)",
        ]
        let started = Date()
        // The recipe as documented: the array, then a merge job that depends on it.
        let array = try cluster.run(
            "sbatch", ["--parsable", "--wait", "--array=1-4", "--chdir", directory.path, recipe], environment: environment,
            timeout: 480)
        let logs = cluster.logs()
        try #require(array.status == 0, "the array failed: \(array.stdout)\n\(array.stderr)\n\(logs)")
        let job = try #require(array.stdout.split(separator: "\n").first.map { String($0.split(separator: ";")[0]) })
        let merge = try cluster.run(
            "sbatch",
            ["--wait", "--dependency=afterok:\(job)", "--kill-on-invalid-dep=yes", "--chdir", directory.path, recipe, "merge"],
            environment: environment, timeout: 240)
        try #require(merge.status == 0, "the merge job failed: \(merge.stdout)\n\(merge.stderr)\n\(cluster.logs())")
        let seconds = Date().timeIntervalSince(started)
        print("Slurm: 4 shards and the merge took \(Int(seconds.rounded())) s")

        for k in 1...4 {
            let manifest = try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.file("shards/\(k)/belay-shard.json"))) as? [String: Any]
            #expect(manifest?["shard"] as? Int == k && manifest?["of"] as? Int == 4)
            let log = try String(contentsOf: directory.file("belay-\(job)_\(k).log"), encoding: .utf8)
            #expect(log.contains("in shard \(k)/4"), "\(log)")
        }
        let expected = try ShardMergeTests.snapshot(single)
        let merged = try ShardMergeTests.snapshot(directory.file("merged"))
        for file in ShardMergeTests.classFiles {
            #expect(merged[file] != nil && merged[file] == expected[file], "\(file) differs from the single run")
        }
        #expect(merged == expected, "differ: \(Set(merged.keys).union(expected.keys).filter { merged[$0] != expected[$0] }.sorted())")
    }
}

/// A single-node Slurm in a folder: `slurmctld` and `slurmd` as child processes of the test, with auth/none and
/// free ports, so it needs no munge key, no systemd and nothing outside the folder.
final class SlurmCluster: @unchecked Sendable {
    static let tools = ["slurmctld", "slurmd", "sbatch", "sinfo"]

    let directory: URL
    let configuration: URL
    private var daemons: [Spawned] = []

    /// The tool on the usual paths.
    static func find(_ tool: String) -> String? {
        ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"].map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private init(directory: URL) {
        self.directory = directory
        configuration = directory.appendingPathComponent("slurm.conf")
    }

    /// Writes the configuration, starts both daemons and waits (at most 60 s) until the node is idle.
    /// - Throws: ``SlurmError`` with the daemons' logs when Slurm does not come up; anything started is stopped.
    static func start(in directory: URL) throws -> SlurmCluster {
        for tool in tools where find(tool) == nil {
            throw SlurmError(message: "\(tool) is missing: run scripts/setup (Debian package slurm-wlm)")
        }
        guard getuid() == 0 else { throw SlurmError(message: "slurmd must run as root") }
        let cluster = SlurmCluster(directory: directory)
        do {
            try cluster.configure()
            try cluster.launch("slurmctld", ["-D", "-i", "-f", cluster.configuration.path])
            try cluster.launch("slurmd", ["-D", "-N", "localhost", "-f", cluster.configuration.path])
            try cluster.waitUntilIdle(seconds: 60)
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    private func configure() throws {
        let fm = FileManager.default
        for sub in ["state", "spool", "log"] {
            try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let path = directory.path
        let ports = try (0..<2).map { _ in try Self.freePort() }
        let text = """
            ClusterName=belaytest
            SlurmctldHost=localhost
            SlurmctldPort=\(ports[0])
            SlurmdPort=\(ports[1])
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/none
            CredType=cred/none
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            SchedulerType=sched/backfill
            JobCompType=jobcomp/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            MpiDefault=none
            ReturnToService=2
            StateSaveLocation=\(path)/state
            SlurmdSpoolDir=\(path)/spool
            SlurmctldPidFile=\(path)/slurmctld.pid
            SlurmdPidFile=\(path)/slurmd.pid
            SlurmctldLogFile=\(path)/log/slurmctld.log
            SlurmdLogFile=\(path)/log/slurmd.log
            NodeName=localhost CPUs=\(ProcessInfo.processInfo.activeProcessorCount) State=UNKNOWN
            PartitionName=belay Nodes=localhost Default=YES MaxTime=INFINITE State=UP

            """
        try Data(text.utf8).write(to: configuration)
    }

    /// A TCP port nobody listens on now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SlurmError(message: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw SlurmError(message: "bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["SLURM_CONF"] = configuration.path
        return env
    }

    private func launch(_ daemon: String, _ arguments: [String]) throws {
        let log = directory.appendingPathComponent("log/\(daemon).out")
        daemons.append(try Spawned(Self.find(daemon)!, arguments, environment: environment, output: log, error: log))
    }

    private func waitUntilIdle(seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            for index in daemons.indices {
                if let status = daemons[index].poll() {
                    throw SlurmError(message: "\(daemons[index].name) exited (status \(status))\n\(logs())")
                }
            }
            let sinfo = try run("sinfo", ["-h", "-o", "%T"], timeout: 10)
            last = sinfo.stdout + sinfo.stderr
            if sinfo.status == 0, sinfo.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "idle" { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        throw SlurmError(message: "the node did not become idle within \(Int(seconds)) s (sinfo: \(last))\n\(logs())")
    }

    /// Runs a Slurm client tool against this cluster, killing it after `timeout` seconds.
    func run(_ tool: String, _ arguments: [String], environment extra: [String: String] = [:], timeout: Double) throws
        -> SlurmRun
    {
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("log/\(tool)-\(id).out")
        let err = directory.appendingPathComponent("log/\(tool)-\(id).err")
        var child = try Spawned(
            Self.find(tool) ?? tool, arguments, environment: environment.merging(extra) { _, new in new }, output: out,
            error: err)
        let status = child.wait(seconds: timeout)
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        return SlurmRun(
            status: status ?? -1, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: status == nil ? "\(tool) killed after \(Int(timeout)) s\n" + stderr : stderr)
    }

    /// The tail of both daemons' logs, for failure messages.
    func logs() -> String {
        ["slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out"].map { name in
            let text = (try? String(contentsOf: directory.appendingPathComponent("log/\(name)"), encoding: .utf8)) ?? ""
            return "--- \(name)\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Stops the daemons this cluster started: SIGTERM, then SIGKILL after 10 s. Safe to call twice.
    func stop() {
        for index in daemons.indices { daemons[index].terminate() }
        for index in daemons.indices where daemons[index].wait(seconds: 10) == nil {
            daemons[index].kill()
        }
        daemons.removeAll()
    }
}

/// A child started with `posix_spawn` in its own process group, its output in files, reaped with `waitpid`
/// (polled, so every wait has a deadline and nothing depends on a run loop).
struct Spawned {
    let name: String
    let pid: pid_t
    private(set) var status: Int32?

    init(_ path: String, _ arguments: [String], environment: [String: String], output: URL, error: URL) throws {
        name = URL(fileURLWithPath: path).lastPathComponent
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, error.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SlurmError(message: "cannot start \(path): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// The exit status once the child has ended (128 + signal when killed), `nil` while it runs.
    mutating func poll() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        return status
    }

    /// Waits up to `seconds`; on the deadline kills the child's process group and returns `nil`.
    mutating func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status = poll() { return status }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if let status = poll() { return status }
        kill()
        return nil
    }

    /// SIGTERM to the child's process group.
    func terminate() {
        if status == nil { _ = Glibc.kill(-pid, SIGTERM) }
    }

    /// SIGKILL to the child's process group, then reaps the child.
    mutating func kill() {
        guard status == nil else { return }
        _ = Glibc.kill(-pid, SIGKILL)
        var raw: Int32 = 0
        _ = waitpid(pid, &raw, 0)
        status = 128 + SIGKILL
    }
}

/// What a program run against the cluster did.
struct SlurmRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Slurm could not be started or driven.
struct SlurmError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
