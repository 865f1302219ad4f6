public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader, or a rerun after `kill -9`, sees either the old file or the whole new one.
///
/// ``write(_:to:)-(Data,_)`` writes a temporary file in the target's folder (a hidden name containing
/// ``temporaryMarker`` and the writer's process id), flushes it to disk with `fsync`, and `rename(2)`s it over the
/// target, which is atomic within one file system. A writer killed half-way leaves only its temporary file, which
/// no reader takes for a report and ``removeLeftovers(in:)`` deletes on the next run.
///
/// Foundation's `.atomic` option also renames, but does not `fsync` on Linux and names its temporary files
/// unpredictably, so leftovers could not be told apart from a user's files.
public enum AtomicFile {
    /// Part of every temporary file's name: `.<target name>.belay-tmp-<pid>-<random>`.
    public static let temporaryMarker = ".belay-tmp-"

    /// Replaces `url` with `data` atomically (write to a temporary file, `fsync`, `rename`).
    ///
    /// The folder must exist. The file gets mode 0644 (less the umask), like a plain write.
    /// - Throws: ``AtomicFileError`` naming the file and the system's message; the temporary file is removed.
    /// - Complexity: O(`data.count`).
    public static func write(_ data: Data, to url: URL) throws {
        let target = url.standardizedFileURL
        let folder = target.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            "." + target.lastPathComponent + temporaryMarker + "\(getpid())-" + UUID().uuidString.prefix(8))
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFileError(path: target.path, operation: "create a temporary file", errno: errno) }
        var failure: AtomicFileError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = AtomicFileError(path: target.path, operation: "write", errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 {
            failure = AtomicFileError(path: target.path, operation: "flush (fsync)", errno: errno)
        }
        if close(fd) != 0, failure == nil {
            failure = AtomicFileError(path: target.path, operation: "close", errno: errno)
        }
        if failure == nil, rename(temporary.path, target.path) != 0 {
            failure = AtomicFileError(path: target.path, operation: "rename the temporary file into place", errno: errno)
        }
        if let failure {
            unlink(temporary.path)
            throw failure
        }
    }

    /// Replaces `url` with the UTF-8 bytes of `text` atomically.
    /// - Complexity: O(`text.utf8.count`).
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Whether `name` is a temporary file of ``write(_:to:)-(Data,_)``: never a finished output.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(temporaryMarker)
    }

    /// Deletes the temporary files that writers killed before their `rename` left directly in `directory`, and
    /// returns how many. Files of a writer that is still running (its process id is alive, and it is not this
    /// process) are kept, so two runs sharing a folder do not break each other; files older than a day go
    /// whatever their process id says (the id may have been reused).
    /// - Complexity: O(entries in `directory`).
    @discardableResult
    public static func removeLeftovers(in directory: URL) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return 0 }
        var removed = 0
        let me = getpid()
        for name in names where isTemporary(name) {
            let url = directory.appendingPathComponent(name)
            let writer = name.components(separatedBy: temporaryMarker).last?.split(separator: "-").first
                .flatMap { pid_t($0) }
            let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            let stale = modified.map { Date().timeIntervalSince($0) > 86_400 } ?? true
            if let writer, writer != me, kill(writer, 0) == 0 || errno == EPERM, !stale { continue }
            if writer == me, !stale { continue }
            if unlink(url.path) == 0 { removed += 1 }
        }
        return removed
    }
}

/// `write(2)`, which `AtomicFile.write` would otherwise shadow.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #elseif canImport(Musl)
    Musl.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

/// A file ``AtomicFile`` could not write.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    /// The file that was to be written.
    public var path: String
    /// The step that failed.
    public var operation: String
    /// The system's message for the error number.
    public var message: String

    init(path: String, operation: String, errno code: Int32) {
        self.path = path
        self.operation = operation
        self.message = String(cString: strerror(code))
    }

    /// `path: cannot write (No space left on device)`.
    public var description: String { "\(path): cannot \(operation) (\(message))" }
}
