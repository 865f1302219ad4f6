public import Foundation
import BelayFormats

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
        do {
            try SafeUnzip.extract(
                archive, to: destination, maxTotalBytes: Int(clamping: limits.maxTotalBytes), maxEntries: limits.maxEntries)
        } catch let error as SafeUnzipError {
            throw SubmissionArchiveError(archive: archive.lastPathComponent, entry: error.entry, problem: error.message)
        }
        let root = destination.standardizedFileURL.resolvingSymlinksInPath()
        let top = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey]))?
            .filter { !$0.lastPathComponent.hasPrefix(".") && $0.lastPathComponent != "__MACOSX" } ?? []
        if top.count == 1, (try? top[0].resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            return top[0]
        }
        return root
    }
}
