import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A memory total for one student: a cgroup holding the student's build and every task, so that what their
/// processes hold together (heap, `memfd` and shared-memory pages, private `/tmp` files) counts against one limit.
///
/// Created under the grader's own cgroup: cgroup v2 (`memory.max`, `memory.swap.max = 0`, `cgroup.kill`) where
/// the memory controller is delegated to it, else the cgroup v1 memory controller (`memory.limit_in_bytes` and,
/// where swap is accounted, `memory.memsw.limit_in_bytes`). Where neither is writable, ``create(limit:)`` says
/// why and the sandbox keeps to its per-process address-space limit, which the run's report then names.
///
/// Runs join the group through `belay-sandbox-init --cgroup` before the student's first instruction, so no
/// process of theirs is ever outside it. ``close()`` kills whatever is left in it and removes it.
public final class SandboxMemoryGroup: Sendable {
    /// Which cgroup interface holds the group.
    public enum Version: String, Sendable { case v1 = "cgroup v1 memory controller", v2 = "cgroup v2" }

    /// The limit, in bytes, for everything the student's processes hold at once.
    public let limit: UInt64
    /// The group's folder.
    public let path: String
    /// Which interface it uses.
    public let version: Version

    /// The file a process writes "0" to in order to join the group.
    public var procsFile: String { path + "/cgroup.procs" }

    /// The limit in words for reports, e.g. "memory 4 GiB in total for the student's build and tasks (cgroup v2)".
    public var description: String {
        "memory \(SandboxResult.bytes(limit)) in total for the student's build and tasks (\(version.rawValue))"
    }

    private init(limit: UInt64, path: String, version: Version) {
        self.limit = limit
        self.path = path
        self.version = version
    }

    deinit { close() }

    /// A new group with `limit`, or why there cannot be one here.
    public static func create(limit: UInt64) -> Result<SandboxMemoryGroup, Unavailable> {
        guard geteuid() == 0 else { return .failure(Unavailable(reason: "the grader is not root")) }
        var reasons: [String] = []
        for version in [Version.v2, .v1] {
            switch parent(version) {
            case .failure(let problem):
                reasons.append(problem.reason)
            case .success(let parent):
                let path = parent + "/belay-\(getpid())-\(counter.withLock { $0 += 1; return $0 })"
                switch make(path: path, version: version, limit: limit) {
                case .success: return .success(SandboxMemoryGroup(limit: limit, path: path, version: version))
                case .failure(let problem):
                    rmdir(path)
                    reasons.append(problem.reason)
                }
            }
        }
        return .failure(Unavailable(reason: reasons.joined(separator: "; ")))
    }

    /// Why no memory group could be made.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Out-of-memory kills in the group so far (the kernel's count).
    public var outOfMemoryKills: Int {
        let (file, key) = version == .v2 ? ("memory.events", "oom_kill") : ("memory.oom_control", "oom_kill")
        guard let text = try? String(contentsOfFile: path + "/" + file, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == key { return Int(words[1]) ?? 0 }
        }
        // Old v1 kernels without an oom_kill count: any failed charge means the limit was reached.
        if version == .v1, let failures = try? String(contentsOfFile: path + "/memory.failcnt", encoding: .utf8) {
            return (Int(failures.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0 ? 1 : 0
        }
        return 0
    }

    /// Kills every process in the group and removes it. Safe to call more than once.
    public func close() {
        for _ in 0..<200 {
            if version == .v2 { Self.write("1", to: path + "/cgroup.kill") }
            let pids = (try? String(contentsOfFile: procsFile, encoding: .utf8))?
                .split(separator: "\n").compactMap { pid_t($0) } ?? []
            if pids.isEmpty { break }
            for pid in pids where pid > 1 { kill(pid, SIGKILL) }
            usleep(2000)
        }
        rmdir(path)
    }

    // MARK: Finding and making the group

    /// Groups made by this process so far (part of each group's name).
    private static let counter = Mutex(0)

    /// The grader's own cgroup folder for `version`, where a child can be made.
    private static func parent(_ version: Version) -> Result<String, Unavailable> {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
            let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        else { return .failure(Unavailable(reason: "/proc/self/cgroup is not readable")) }
        // mountinfo: id parent major:minor root mountpoint options - fstype source super-options
        var mountpoint: String?
        var mountRoot = "/"
        for line in mounts.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ").map(String.init)
            let tail = halves[1].split(separator: " ").map(String.init)
            guard fields.count >= 5, tail.count >= 3 else { continue }
            let matches = version == .v2
                ? tail[0] == "cgroup2"
                : tail[0] == "cgroup" && tail[2].split(separator: ",").contains("memory")
            if matches {
                mountpoint = fields[4].replacingOccurrences(of: "\\040", with: " ")
                mountRoot = fields[3]
                break
            }
        }
        guard let mountpoint else {
            return .failure(Unavailable(reason: "\(version.rawValue): not mounted"))
        }
        var own: String?
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            if version == .v2 ? parts[0] == "0" && parts[1].isEmpty : parts[1].split(separator: ",").contains("memory") {
                own = parts[2]
            }
        }
        guard var own else { return .failure(Unavailable(reason: "\(version.rawValue): the grader is in no group")) }
        if mountRoot != "/", own.hasPrefix(mountRoot) { own = String(own.dropFirst(mountRoot.count)) }
        let folder = mountpoint + (own == "/" ? "" : own)
        guard access(folder, W_OK) == 0 else {
            return .failure(Unavailable(reason: "\(version.rawValue): \(folder) is not writable"))
        }
        if version == .v2 {
            let controllers = (try? String(contentsOfFile: folder + "/cgroup.controllers", encoding: .utf8)) ?? ""
            guard controllers.split(whereSeparator: \.isWhitespace).contains("memory") else {
                return .failure(Unavailable(reason: "cgroup v2: the memory controller is not delegated to \(folder)"))
            }
        }
        return .success(folder)
    }

    private static func make(path: String, version: Version, limit: UInt64) -> Result<Void, Unavailable> {
        guard mkdir(path, 0o755) == 0 else {
            return .failure(Unavailable(reason: "\(version.rawValue): cannot create \(path): \(String(cString: strerror(errno)))"))
        }
        let settings: [(String, String, required: Bool)] =
            version == .v2
            ? [("memory.max", "\(limit)", true), ("memory.swap.max", "0", false)]
            : [("memory.limit_in_bytes", "\(limit)", true), ("memory.memsw.limit_in_bytes", "\(limit)", false)]
        if version == .v2 {
            // A new group has the controller only when its parent hands it down.
            let parent = (path as NSString).deletingLastPathComponent
            let enabled = (try? String(contentsOfFile: parent + "/cgroup.subtree_control", encoding: .utf8)) ?? ""
            if !enabled.split(whereSeparator: \.isWhitespace).contains("memory") {
                write("+memory", to: parent + "/cgroup.subtree_control")
            }
        }
        for (file, value, required) in settings {
            let target = path + "/" + file
            if access(target, F_OK) != 0, !required { continue }
            guard write(value, to: target) else {
                return .failure(Unavailable(reason: "\(version.rawValue): cannot set \(file) in \(path)"))
            }
        }
        return .success(())
    }

    @discardableResult
    private static func write(_ value: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        let bytes = Array(value.utf8)
        return Glibc.write(fd, bytes, bytes.count) == bytes.count
    }
}

extension SandboxMemoryGroup: Hashable {
    /// Groups are equal when they are the same group.
    public static func == (lhs: SandboxMemoryGroup, rhs: SandboxMemoryGroup) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
