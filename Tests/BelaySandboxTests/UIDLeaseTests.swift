@testable import BelaySandbox
import BelayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each Belay process leases a uid range of its own, so that one process's sweep never kills another's runs.
@Suite(.serialized) struct UIDLeaseTests {
    /// A private lease folder (mode 0700, like /run/belay).
    func leaseDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "belay-uid-leases")
        chmod(directory.path, 0o700)
        return directory
    }

    @Test func twoLeasesGetDisjointRangesAndAReleasedRangeIsReused() throws {
        let directory = try leaseDirectory()
        defer { directory.cleanup() }
        var first: UIDLease? = try UIDLease(directory: directory.path)
        let second = try UIDLease(directory: directory.path)
        let firstRange = try #require(first?.uids)
        #expect(!firstRange.overlaps(second.uids))
        #expect(firstRange.count == Int(UIDLease.rangeSize))
        // Range 0 (the uids every Belay before leases used) is never leased.
        #expect(firstRange.lowerBound >= UIDLease.baseUID + UIDLease.rangeSize)
        #expect(second.uids.upperBound <= UInt32(Int32.max))
        first = nil
        let third = try UIDLease(directory: directory.path)
        #expect(third.uids == firstRange)
        #expect(!third.uids.overlaps(second.uids))
    }

    @Test func aRangeHeldByAnotherProcessIsSkipped() throws {
        let directory = try leaseDirectory()
        defer { directory.cleanup() }
        let flock = try #require(["/usr/bin/flock", "/bin/flock"].first { FileManager.default.isExecutableFile(atPath: $0) })
        // Another process holds range 1 (flock(1) takes the same flock(2) lock Belay takes).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: flock)
        // --no-fork: the lock's holder is the shell itself, so killing it frees the lock at once.
        holder.arguments = [
            "-n", "--no-fork", directory.file("uids-1.lock").path, "/bin/sh", "-c", "echo locked; exec sleep 60",
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let line = output.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self) == "locked\n")
        let lease = try UIDLease(directory: directory.path)
        #expect(lease.index == 2)
    }

    @Test func pooledUIDsComeFromTheLease() async throws {
        let directory = try leaseDirectory()
        defer { directory.cleanup() }
        let other = try UIDLease(directory: directory.path)
        let pool = SandboxUserPool(leaseDirectory: directory.path)
        let a = try await pool.acquire()
        let b = try await pool.acquire()
        #expect(a != b)
        #expect(!other.uids.contains(a) && !other.uids.contains(b))
        await pool.release(a)
        #expect(try await pool.acquire() == a)
    }

    @Test func anUnsafeLeaseFolderIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "belay-uid-leases")
        defer { directory.cleanup() }
        chmod(directory.path, 0o777)
        #expect(throws: UIDLease.Failure.self) { try UIDLease(directory: directory.path) }
    }
}
