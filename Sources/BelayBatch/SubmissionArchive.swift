public import Foundation
import ZIPFoundation

/// Caps for unpacking a submission archive (a zip bomb or a junk upload must not fill the disk).
public struct ZipLimits: Sendable, Equatable {
    /// Maximum number of entries.
    public var maxEntries: Int
    /// Maximum total uncompressed bytes actually written.
    public var maxTotalBytes: Int64

    /// Creates limits.
    public init(maxEntries: Int = 10_000, maxTotalBytes: Int64 = 1 << 30) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
    }
}

/// Why a submission archive was refused.
public struct SubmissionArchiveError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The archive's file name.
    public var archive: String
    /// The entry concerned, if any.
    public var entry: String?
    /// What is wrong.
    public var problem: String

    /// `alice.zip: entry '../evil': escapes the submission folder`.
    public var description: String {
        archive + (entry.map { ": entry '\($0)'" } ?? "") + ": " + problem
    }
}

/// Unpacks a submission `.zip` safely.
public enum SubmissionArchive {
    /// Extracts `archive` into `destination` (which must exist and be empty) and returns the submission root:
    /// `destination`, or its single top-level folder when the archive wraps everything in one
    /// (`alice/…`). `__MACOSX/` entries are ignored.
    ///
    /// Refuses (throws) absolute paths, `..` components, symbolic links, more than `limits.maxEntries`
    /// entries, more than `limits.maxTotalBytes` bytes written, and entries whose checksum does not match.
    /// - Complexity: O(uncompressed size), bounded by the limits.
    public static func extract(_ archive: URL, to destination: URL, limits: ZipLimits = ZipLimits()) throws -> URL {
        let name = archive.lastPathComponent
        func refuse(_ entry: String?, _ problem: String) -> SubmissionArchiveError {
            SubmissionArchiveError(archive: name, entry: entry, problem: problem)
        }
        let zip: Archive
        do {
            zip = try Archive(url: archive, accessMode: .read)
        } catch {
            throw refuse(nil, "not a readable zip archive (\(error))")
        }
        let root = destination.standardizedFileURL.resolvingSymlinksInPath()
        let fileManager = FileManager.default
        var entries = 0
        var written: Int64 = 0
        for entry in zip {
            entries += 1
            guard entries <= limits.maxEntries else { throw refuse(nil, "more than \(limits.maxEntries) entries") }
            let rawPath = entry.path
            let path = rawPath.replacingOccurrences(of: "\\", with: "/")
            let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if path.hasPrefix("/") || components.contains("..") || components.first?.contains(":") == true {
                throw refuse(rawPath, "escapes the submission folder")
            }
            let parts = components.filter { $0 != "." }
            if parts.first == "__MACOSX" || parts.isEmpty { continue }
            if entry.type == .symlink { throw refuse(rawPath, "is a symbolic link; submissions may not contain links") }
            let target = parts.reduce(root) { $0.appendingPathComponent($1) }.standardizedFileURL
            guard target.path.hasPrefix(root.path + "/") else { throw refuse(rawPath, "escapes the submission folder") }
            do {
                if entry.type == .directory {
                    try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
                    continue
                }
                try fileManager.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard fileManager.createFile(atPath: target.path, contents: nil) else {
                    throw refuse(rawPath, "cannot be written")
                }
                let handle = try FileHandle(forWritingTo: target)
                defer { try? handle.close() }
                let maxTotal = limits.maxTotalBytes
                let checksum = try zip.extract(entry, skipCRC32: false) { chunk in
                    written += Int64(chunk.count)
                    guard written <= maxTotal else {
                        throw refuse(nil, "unpacks to more than \(maxTotal) bytes")
                    }
                    try handle.write(contentsOf: chunk)
                }
                guard checksum == entry.checksum else { throw refuse(rawPath, "is corrupt (checksum mismatch)") }
            } catch let error as SubmissionArchiveError {
                throw error
            } catch {
                throw refuse(rawPath, "cannot be unpacked (\(error))")
            }
        }
        let top = (try? fileManager.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey]))?
            .filter { !$0.lastPathComponent.hasPrefix(".") } ?? []
        if top.count == 1, (try? top[0].resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            return top[0]
        }
        return root
    }
}
