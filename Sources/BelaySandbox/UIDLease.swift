import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A range of private uids held by this process alone, for as long as the lease lives.
///
/// Every Belay process running sandboxed work as root needs uids that no other process uses: the sandbox kills
/// every process of a run's uid when the run ends, so two Belay processes sharing uids kill each other's work.
/// A lease is an exclusive `flock` on one lock file per range (`<directory>/uids-<index>.lock`); the kernel drops
/// the lock when the descriptor closes or the process dies, so a crashed Belay never leaks its range. A new
/// lease takes the lowest range whose lock is free.
///
/// Range 0 (uids from 1,900,000,000) is never leased: Belay builds from before leases use it unconditionally.
final class UIDLease: Sendable {
    /// The first uid of range 0: far above regular and system accounts, below 2^31.
    static let baseUID: uid_t = 1_900_000_000
    /// Uids per range: the most concurrent runs of one Belay process.
    static let rangeSize: uid_t = 4096
    /// Ranges 1 through this many can be leased (uids up to 1,901,052,671).
    static let rangeCount = 256
    /// Where the lock files live when the grader is root: not writable by anyone else.
    static let defaultDirectory = "/run/belay"

    /// Which range this lease holds (1 through ``rangeCount``).
    let index: Int
    /// The uids of the range.
    let uids: Range<uid_t>
    private let descriptor: Int32

    /// Why no range could be leased.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Leases the lowest free range, with its lock file in `directory` (created mode 0700 if missing; it must
    /// belong to this user and not be writable by others).
    ///
    /// - Throws: ``Failure`` when the directory is unsafe or every range is taken.
    /// - Complexity: O(``rangeCount``) lock attempts.
    init(directory: String = UIDLease.defaultDirectory) throws {
        try Self.prepare(directory)
        for index in 1...Self.rangeCount {
            let path = "\(directory)/uids-\(index).lock"
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else {
                throw Failure(description: "cannot open the uid lease \(path): \(String(cString: strerror(errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                self.index = index
                let first = Self.baseUID + uid_t(index) * Self.rangeSize
                uids = first..<(first + Self.rangeSize)
                descriptor = fd
                // For people reading /run/belay: who holds the range.
                _ = ftruncate(fd, 0)
                let note = "pid \(getpid()) uids \(first)..<\(first + Self.rangeSize)\n"
                _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
                return
            }
            let reason = errno
            close(fd)
            guard reason == EWOULDBLOCK || reason == EINTR else {
                throw Failure(description: "cannot lock the uid lease \(path): \(String(cString: strerror(reason)))")
            }
        }
        throw Failure(description: "all \(Self.rangeCount) private uid ranges are leased by other Belay processes")
    }

    deinit { close(descriptor) }

    /// Creates `directory` (mode 0700) when missing and refuses one that another user could tamper with.
    private static func prepare(_ directory: String) throws {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw Failure(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            throw Failure(description: "cannot inspect \(directory): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
            throw Failure(
                description: "\(directory) must be a folder of uid \(geteuid()) that others cannot write; it is not")
        }
    }
}
