import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One child process run to completion with posix_spawn: its own session (so its own process group), pipes
/// for standard input, output, error and an optional result channel on descriptor 3, non-blocking reads with
/// byte caps, and a wall-clock deadline. Blocking: call it off the Swift concurrency pool.
struct ProcessRunner {
    var executable: String
    /// Full argv, `argv[0]` included.
    var arguments: [String]
    /// `KEY=value` strings; empty means an empty environment.
    var environment: [String]
    var workingDirectory: String
    var stdin: Data
    var resultChannel: Bool
    var wallSeconds: Double
    var maxOutputBytes: Int
    var maxResultBytes: Int
    /// When set, every process of this uid is killed at the end of the run (the uid is private to the run).
    var sweepUID: uid_t?
    /// Whether the child reports how the program it runs ended on a pipe at descriptor ``statusDescriptor``
    /// (`belay-sandbox-init` does, as process 1 of a PID namespace: "exit N" or "signal N"). That report then
    /// replaces the child's own wait status, which would only be the init's.
    var statusChannel = false

    /// The descriptor of the status channel: 4 with a result channel, 3 without.
    var statusDescriptor: Int32 { resultChannel ? 4 : 3 }

    struct Outcome {
        var termination: SandboxResult.Termination
        var stdout = Data()
        var stderr = Data()
        var result = Data()
        var wallSeconds = 0.0
        var cpuSeconds = 0.0
    }

    private struct Stream {
        var fd: Int32
        var data = Data()
        var cap: Int
        var open = true
    }

    func run() -> Outcome {
        Self.ignoreSIGPIPE
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        var pipes: [[Int32]] = []
        for _ in 0..<(3 + (resultChannel ? 1 : 0) + (statusChannel ? 1 : 0)) {
            var fds: [Int32] = [-1, -1]
            guard GlibcExtensions.makePipe(&fds) == 0 else {
                let reason = String(cString: strerror(errno))
                for p in pipes { close(p[0]); close(p[1]) }
                return Outcome(termination: .failedToStart("pipe: \(reason)"))
            }
            pipes.append(fds)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        if resultChannel { posix_spawn_file_actions_adddup2(&actions, pipes[3][1], 3) }
        if statusChannel { posix_spawn_file_actions_adddup2(&actions, pipes[pipes.count - 1][1], statusDescriptor) }
        _ = GlibcExtensions.addClosefrom?(&actions, 3 + (resultChannel ? 1 : 0) + (statusChannel ? 1 : 0))
        guard let addChdir = GlibcExtensions.addChdir else {
            return Outcome(termination: .failedToStart("posix_spawn_file_actions_addchdir_np is missing (glibc < 2.29)"))
        }
        _ = addChdir(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal: Int32 in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(
            &attributes, Int16(GlibcExtensions.spawnSetsid | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))

        var pid: pid_t = 0
        let spawnStatus = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        // The child's ends are the child's now.
        close(pipes[0][0])
        for p in pipes.dropFirst() { close(p[1]) }
        guard spawnStatus == 0 else {
            close(pipes[0][1])
            for p in pipes.dropFirst() { close(p[0]) }
            return Outcome(termination: .failedToStart("\(executable): \(String(cString: strerror(spawnStatus)))"))
        }

        var input: Int32? = pipes[0][1]
        var streams = [Stream(fd: pipes[1][0], cap: maxOutputBytes), Stream(fd: pipes[2][0], cap: maxOutputBytes)]
        if resultChannel { streams.append(Stream(fd: pipes[3][0], cap: maxResultBytes)) }
        if statusChannel { streams.append(Stream(fd: pipes[pipes.count - 1][0], cap: 64)) }
        for fd in streams.map(\.fd) + [pipes[0][1]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var written = 0
        if stdin.isEmpty, let fd = input { close(fd); input = nil }

        var termination: SandboxResult.Termination?
        var exited = false
        var drainDeadline: Double?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)

        while true {
            let now = elapsed()
            if !exited, termination == nil, now >= wallSeconds {
                termination = .timedOut
                killEverything(pid)
            }
            if !exited, Self.hasExited(pid) {
                exited = true
                killEverything(pid)  // leftovers in the group die before the leader is reaped
                drainDeadline = now + 0.5
            }
            if let fd = input, exited || termination != nil { close(fd); input = nil }
            let openStreams = streams.indices.filter { streams[$0].open }
            if exited && (openStreams.isEmpty || now >= drainDeadline ?? now) { break }

            var polls = openStreams.map { pollfd(fd: streams[$0].fd, events: Int16(POLLIN), revents: 0) }
            if let fd = input { polls.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            _ = poll(&polls, nfds_t(polls.count), 20)

            // Write what standard input accepts.
            if let fd = input, let last = polls.last, last.fd == fd, last.revents != 0 {
                let n = stdin.withUnsafeBytes { raw in
                    raw.baseAddress.map { write(fd, $0.advanced(by: written), raw.count - written) } ?? 0
                }
                if n > 0 { written += n }
                if (n < 0 && errno != EAGAIN && errno != EINTR) || written == stdin.count {
                    close(fd)
                    input = nil
                }
            }
            // Read what the outputs hold, up to their caps.
            for (index, poll) in zip(openStreams, polls) where poll.revents != 0 {
                while true {
                    let n = read(streams[index].fd, &buffer, buffer.count)
                    if n > 0 {
                        let room = streams[index].cap - streams[index].data.count
                        streams[index].data.append(contentsOf: buffer[0..<min(n, max(room, 0))])
                        if n > room {
                            streams[index].open = false
                            close(streams[index].fd)
                            if termination == nil, !exited, index < 3 {
                                termination = index < 2 ? .outputLimitExceeded : .resultLimitExceeded
                                killEverything(pid)
                            }
                            break
                        }
                        continue
                    }
                    if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        streams[index].open = false
                        close(streams[index].fd)
                    }
                    if n < 0 && errno == EINTR { continue }
                    break
                }
            }
        }
        for stream in streams where stream.open { close(stream.fd) }
        if let fd = input { close(fd) }

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        killEverything(pid)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let ended: SandboxResult.Termination
        let reported = statusChannel ? Self.parseStatus(streams[streams.count - 1].data) : nil
        if let termination {
            ended = termination
        } else if let reported {
            ended = reported
        } else if status & 0x7f == 0 {
            ended = .exited((status >> 8) & 0xff)
        } else {
            ended = .signaled(status & 0x7f)
        }
        return Outcome(
            termination: ended, stdout: streams[0].data, stderr: streams[1].data,
            result: resultChannel ? streams[2].data : Data(), wallSeconds: elapsed(), cpuSeconds: cpu)
    }

    /// The ending `belay-sandbox-init` reported: "exit N" or "signal N" on one line.
    static func parseStatus(_ data: Data) -> SandboxResult.Termination? {
        let words = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 2, let value = Int32(words[1]) else { return nil }
        switch words[0] {
        case "exit": return .exited(value)
        case "signal": return .signaled(value)
        default: return nil
        }
    }

    /// Kills the child's process group and, when the run has a private uid, every process of that uid
    /// (which also catches processes that left the group with `setsid`).
    private func killEverything(_ pid: pid_t) {
        kill(-pid, SIGKILL)
        if let sweepUID { Self.killAll(uid: sweepUID) }
    }

    /// Whether `pid` has exited, without reaping it (so its pid and process group id stay reserved).
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let status = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return status == 0 && info.si_signo == SIGCHLD
    }

    /// Kills every process whose real uid is `uid`, repeating until none is left (a fork bomb keeps forking
    /// until its last member dies; `RLIMIT_NPROC` bounds how many there can be).
    static func killAll(uid: uid_t) {
        for _ in 0..<200 {
            let pids = processes(ownedBy: uid)
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(2000)
        }
    }

    /// Processes owned by `uid` with at least one live thread: the owner of `/proc/<pid>` is the process's
    /// effective uid. A thread-group leader that has exited while another of its threads runs shows as a zombie;
    /// it is listed (and killed: a signal to the leader reaches the whole group), which a zombie check on the
    /// leader alone would miss.
    static func processes(ownedBy uid: uid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var result: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry) else { continue }
            var info = stat()
            guard stat("/proc/\(entry)", &info) == 0, info.st_uid == uid, hasLiveThread(entry) else { continue }
            result.append(pid)
        }
        return result
    }

    /// Threads of every process owned by `uid` (what `RLIMIT_NPROC` counts).
    static func threadCount(ownedBy uid: uid_t) -> Int {
        processes(ownedBy: uid).reduce(0) { total, pid in
            total + ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"))?.count ?? 1)
        }
    }

    /// Whether any thread of process `pid` (in `/proc/<pid>/task`) is not a zombie.
    static func hasLiveThread(_ pid: String) -> Bool {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else {
            return false  // gone already
        }
        return threads.contains { !isZombie("/proc/\(pid)/task/\($0)/stat") }
    }

    /// Whether the `stat` file at `path` says the thread is a zombie or dead (state `Z` or `X`, after the
    /// parenthesised name); a missing file counts as dead.
    private static func isZombie(_ path: String) -> Bool {
        guard let stat = FileManager.default.contents(atPath: path),
            let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.endIndex
        else { return true }
        return stat[close + 2] == UInt8(ascii: "Z") || stat[close + 2] == UInt8(ascii: "X")
    }

    private static let ignoreSIGPIPE: Void = {
        // Writing to a child that closed its standard input must give EPIPE, not kill the grader.
        signal(SIGPIPE, SIG_IGN)
    }()
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
