import BelayFormats
public import Foundation

/// The file names a submission folder holds, for choosing its route (``Route/recognizes(fileNames:)``).
public enum SubmissionFiles {
    /// The lower-cased names of the regular files in `directory` and in its folders down to `depth` levels (a
    /// zip's wrapping folder, a Swift package's `Sources`), at most `limit` entries looked at; hidden entries and
    /// `__MACOSX` are skipped and links are not followed.
    public static func names(in directory: URL, depth: Int = 3, limit: Int = 2000) -> Set<String> {
        var names = Set<String>()
        var budget = limit
        func walk(_ folder: URL, _ level: Int) {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
            for entry in entries.sorted() where !entry.hasPrefix(".") && entry != "__MACOSX" {
                guard budget > 0 else { return }
                budget -= 1
                let url = folder.appendingPathComponent(entry)
                let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
                if type == .typeRegular {
                    names.insert(entry.lowercased())
                } else if type == .typeDirectory, level < depth {
                    walk(url, level + 1)
                }
            }
        }
        walk(directory, 0)
        return names
    }

    /// The lower-cased names of the files of a submission as handed in: ``names(in:depth:limit:)`` for a folder;
    /// for a `.zip`, the same names read from the archive's directory (``SafeUnzip/filePaths(_:maxEntries:)``),
    /// without extracting anything. An unreadable archive has no names (grading it reports why).
    public static func names(of submission: URL, depth: Int = 3, limit: Int = 2000) -> Set<String> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: submission.path, isDirectory: &isDirectory) else { return [] }
        if isDirectory.boolValue { return names(in: submission, depth: depth, limit: limit) }
        guard SubmissionInput.isArchive(submission) else { return [] }
        return names(inArchive: submission, depth: depth, limit: limit)
    }

    /// The lower-cased names of the files in the archive `zip`, as ``names(in:depth:limit:)`` would list them
    /// once extracted: down to `depth` folders, hidden entries and `__MACOSX` skipped, at most `limit` entries
    /// looked at. Nothing is extracted.
    public static func names(inArchive zip: URL, depth: Int = 3, limit: Int = 2000) -> Set<String> {
        guard let paths = try? SafeUnzip.filePaths(zip, maxEntries: ZipLimits().maxEntries) else { return [] }
        var names = Set<String>()
        for components in paths.prefix(limit) where components.count <= depth + 1 {
            guard !components.contains(where: { $0.hasPrefix(".") }), let last = components.last else { continue }
            names.insert(last.lowercased())
        }
        return names
    }
}
