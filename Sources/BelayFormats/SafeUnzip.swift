import Foundation

/// An archive entry (or the archive) refused or unreadable during extraction.
public struct SafeUnzipError: Error, CustomStringConvertible, Sendable {
    /// The archive's path.
    public var archive: String
    /// The entry's path inside the archive, when one entry is at fault.
    public var entry: String?
    public var message: String

    public init(archive: String, entry: String? = nil, message: String) {
        self.archive = archive
        self.entry = entry
        self.message = message
    }

    public var description: String {
        if let entry { return "\(archive): entry \"\(entry)\": \(message)" }
        return "\(archive): \(message)"
    }
}

/// Extracts zip archives that come from outside (student submissions) without trusting them.
public enum SafeUnzip {
    /// Extracts `zip` into `dir` (created if needed).
    ///
    /// Refused, naming the entry: absolute paths, drive letters, `..` components, backslash paths that would
    /// escape, symbolic links, duplicate entries, encrypted entries or compression methods other than stored and
    /// deflate, more than `maxEntries` entries, or more than `maxTotalBytes` of content (declared or actual, so a
    /// lying header does not help). `__MACOSX/` metadata is skipped. Entry data is read with ``ZipReader``: a
    /// truncated or corrupt entry (size or CRC-32 not as declared) is an error, never a hang.
    /// On failure, whatever was extracted so far stays in `dir`; callers should use a fresh directory.
    /// - Complexity: O(*n*) in the uncompressed size.
    public static func extract(_ zip: URL, to dir: URL, maxTotalBytes: Int = 200 << 20, maxEntries: Int = 10_000) throws {
        let archivePath = zip.path
        let archive = try open(zip, maxEntries: maxEntries) { "has \($0) entries, more than the limit of \(maxEntries)" }
        let fileManager = FileManager.default
        do { try fileManager.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw SafeUnzipError(archive: archivePath, message: "cannot create \(dir.path): \(error.localizedDescription)")
        }
        let root = dir.resolvingSymlinksInPath().standardizedFileURL
        let entries = archive.entries
        // Validate everything before writing anything.
        var plan: [(entry: ZipEntry, components: [String])] = []
        var declaredTotal: UInt64 = 0
        var seen = Set<String>()
        for entry in entries {
            let name = entry.path
            let components = try safeComponents(of: name, archive: archivePath)
            if components.first == "__MACOSX" { continue }
            if components.isEmpty { continue }
            if entry.kind == .symlink {
                throw SafeUnzipError(archive: archivePath, entry: name, message: "is a symbolic link; links are not allowed")
            }
            let key = components.joined(separator: "/")
            guard seen.insert(key).inserted || entry.kind == .directory else {
                throw SafeUnzipError(archive: archivePath, entry: name, message: "appears more than once")
            }
            // Compared before adding: zip64 sizes are 64-bit, so a sum could overflow.
            guard entry.uncompressedSize <= UInt64(max(maxTotalBytes, 0)) - declaredTotal else {
                throw SafeUnzipError(archive: archivePath, entry: name,
                                     message: "brings the uncompressed size over the limit of \(maxTotalBytes) bytes")
            }
            declaredTotal += entry.uncompressedSize
            if entry.kind != .directory {
                do { try archive.checkSupported(entry) } catch let error as ZipError {
                    throw SafeUnzipError(archive: archivePath, entry: name, message: "cannot be extracted: \(error.message)")
                }
            }
            plan.append((entry, components))
        }
        var written = 0
        for (entry, components) in plan {
            var target = root
            for component in components { target.appendPathComponent(component) }
            let parent = entry.kind == .directory ? target : target.deletingLastPathComponent()
            do { try fileManager.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
                throw SafeUnzipError(archive: archivePath, entry: entry.path, message: "cannot create its folder: \(error.localizedDescription)")
            }
            // A folder created earlier must not be a link leading outside (defence in depth).
            let resolvedParent = parent.resolvingSymlinksInPath().standardizedFileURL.path
            guard resolvedParent == root.path || resolvedParent.hasPrefix(root.path + "/") else {
                throw SafeUnzipError(archive: archivePath, entry: entry.path, message: "would be written outside the destination")
            }
            if entry.kind == .directory { continue }
            guard fileManager.createFile(atPath: target.path, contents: nil),
                  let handle = try? FileHandle(forWritingTo: target) else {
                throw SafeUnzipError(archive: archivePath, entry: entry.path, message: "cannot create \(target.path)")
            }
            defer { try? handle.close() }
            do {
                try archive.read(entry) { chunk in
                    written += chunk.count
                    guard written <= maxTotalBytes else {
                        throw SafeUnzipError(archive: archivePath, entry: entry.path,
                                             message: "brings the uncompressed size over the limit of \(maxTotalBytes) bytes")
                    }
                    try handle.write(contentsOf: Data(chunk))
                }
            } catch let error as SafeUnzipError {
                throw error
            } catch let error as ZipError {
                throw SafeUnzipError(archive: archivePath, entry: entry.path, message: "cannot be extracted (corrupt archive?): \(error.message)")
            } catch {
                throw SafeUnzipError(archive: archivePath, entry: entry.path, message: "cannot be extracted (corrupt archive?): \(error)")
            }
        }
    }

    /// The path components of `zip`'s file entries, read from its central directory: nothing is extracted or
    /// decompressed, so it is cheap enough to look inside a whole class of archives. Folders, links and
    /// `__MACOSX/` metadata are skipped; an entry that ``extract(_:to:maxTotalBytes:maxEntries:)`` would refuse
    /// (an absolute or `..` path) is skipped too, since extraction will report it.
    /// - Throws: ``SafeUnzipError`` when the archive cannot be read or has more than `maxEntries` entries.
    /// - Complexity: O(entries), at most `maxEntries`.
    public static func filePaths(_ zip: URL, maxEntries: Int = 10_000) throws -> [[String]] {
        let archive = try open(zip, maxEntries: maxEntries) { _ in "has more than the limit of \(maxEntries) entries" }
        var paths: [[String]] = []
        for entry in archive.entries {
            guard entry.kind == .file, let components = try? safeComponents(of: entry.path, archive: zip.path),
                !components.isEmpty, components.first != "__MACOSX"
            else { continue }
            paths.append(components)
        }
        return paths
    }

    /// Opens `zip`'s central directory with Belay's own reader (never ZIPFoundation's, which can loop forever on
    /// a truncated deflate stream).
    /// - Parameter tooMany: The message for an archive declaring more than `maxEntries` entries (given their count).
    static func open(_ zip: URL, maxEntries: Int, tooMany: (UInt64) -> String) throws -> ZipReader {
        do { return try ZipReader(url: zip, maxEntries: maxEntries) } catch let error as ZipError {
            if case .tooManyEntries(let declared, _) = error.reason {
                throw SafeUnzipError(archive: zip.path, message: tooMany(declared))
            }
            throw SafeUnzipError(archive: zip.path, message: "not a readable zip archive (\(error.message))")
        }
    }

    /// The entry's path components, refusing anything that could leave the destination.
    static func safeComponents(of name: String, archive: String) throws -> [String] {
        if name.hasPrefix("/") || name.hasPrefix("\\") {
            throw SafeUnzipError(archive: archive, entry: name, message: "has an absolute path")
        }
        if name.count >= 2, name.dropFirst().first == ":" {
            throw SafeUnzipError(archive: archive, entry: name, message: "has a drive-letter path")
        }
        if name.utf8.contains(0) {
            throw SafeUnzipError(archive: archive, entry: name, message: "has a NUL character in its path")
        }
        var components: [String] = []
        for component in name.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            if component == "." { continue }
            if component == ".." {
                throw SafeUnzipError(archive: archive, entry: name, message: "has a \"..\" path component (zip slip)")
            }
            components.append(String(component))
        }
        return components
    }
}
