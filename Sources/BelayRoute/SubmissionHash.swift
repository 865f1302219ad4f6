import BelayChecksum
public import Foundation

/// The fingerprint of a submission: SHA-256 over every file's relative path and contents, in byte order of the
/// paths, so the same files give the same hash wherever and however they were unpacked. The only submission hash
/// in Belay: the batch's cache key and every report's `submission.sha256` come from here.
public enum SubmissionHash {
    /// Hashes the tree under `directory` (or the single file `directory` names, under its own name). Symbolic
    /// links contribute their target path, not the target's bytes; `.build` folders (SwiftPM's build products)
    /// are left out.
    /// - Throws: ``SubmissionInputError`` when the folder cannot be listed; file read errors as they come.
    /// - Complexity: O(total bytes).
    public static func sha256(of directory: URL) throws -> String {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        var files: [(path: String, url: URL, isLink: Bool)] = []
        if (try? root.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append((root.lastPathComponent, root, false))
            return try hash(files)
        }
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            throw SubmissionInputError(path: directory.path, problem: "cannot list the submission")
        }
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            // SwiftPM's build products are not part of what a student hands in (and can be gigabytes).
            if url.lastPathComponent == ".build" {
                enumerator.skipDescendants()
                continue
            }
            let values = try url.resourceValues(forKeys: Set(keys))
            let isLink = values.isSymbolicLink == true
            guard isLink || values.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : url.lastPathComponent
            files.append((relative, url, isLink))
        }
        return try hash(files)
    }

    private static func hash(_ unsorted: [(path: String, url: URL, isLink: Bool)]) throws -> String {
        let files = unsorted.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        var hasher = SHA256()
        for file in files {
            hasher.update(file.path)
            hasher.update(Data([0]))
            if file.isLink {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: file.url.path)) ?? ""
                hasher.update("link\u{0}" + target)
            } else {
                let handle = try FileHandle(forReadingFrom: file.url)
                defer { try? handle.close() }
                var size = 0
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    hasher.update(chunk)
                    size += chunk.count
                }
                hasher.update("\u{0}\(size)")
            }
            hasher.update(Data([0]))
        }
        return hasher.finalizeHex()
    }
}
