public import BelayFormats
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

// MARK: - Reading a submission's files

extension SubmissionFiles {
    /// The size of the file at `url` in bytes, or nil when it cannot be read.
    public static func fileSize(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
    }

    /// The folder holding a submission's files: `directory` when it holds an entry `isSubmissionFile` accepts (given
    /// each visible entry's name), else its only sub-folder, looked at the same way (a zipped or wrapped folder),
    /// down to four levels. Real folders only: a link could loop back on itself.
    public static func root(of directory: URL, isSubmissionFile: (String) -> Bool) -> URL {
        var folder = directory
        let fm = FileManager.default
        for _ in 0..<4 {
            let entries = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
                !$0.hasPrefix(".") && $0 != "__MACOSX"
            }
            guard !entries.contains(where: isSubmissionFile) else { return folder }
            let folders = entries.filter { e in
                let attributes = try? fm.attributesOfItem(atPath: folder.appendingPathComponent(e).path)
                return attributes?[.type] as? FileAttributeType == .typeDirectory
            }
            guard folders.count == 1 else { return folder }
            folder = folder.appendingPathComponent(folders[0])
        }
        return folder
    }

    /// The regular files directly in `folder` (no links, no folders), sorted by name.
    public static func regularFiles(in folder: URL) -> [URL] {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return names.compactMap { name in
            let url = folder.appendingPathComponent(name)
            guard let attributes = try? fm.attributesOfItem(atPath: url.path),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { return nil }
            return url
        }
    }

    /// Reads the CSV file at `url` (nil: not handed in) of at most `maxBytes`, saying what is wrong and how to fix
    /// it in the same words for every route; a route wraps the outcome in its own problem type.
    public static func readCSV(_ url: URL?, maxBytes: Int) -> CSVRead {
        guard let url else {
            return .absent(
                message: "is missing",
                fix: "Save it next to the other files under exactly this name (see the exercise's file table).")
        }
        if let size = fileSize(url), size > maxBytes {
            return .invalid(
                message: "is \(size >> 20) MiB; Belay reads files up to \(maxBytes >> 20) MiB",
                fix: "Hand in only the columns and rows the contract asks for.")
        }
        do {
            return .table(try CSVTable.read(contentsOf: url))
        } catch {
            return .invalid(
                message: "could not be read as CSV: \(error)",
                fix: "Write it with pandas' `to_csv(index=False)` or Python's csv module, UTF-8 encoded.")
        }
    }
}

/// One CSV file of a submission as read by ``SubmissionFiles/readCSV(_:maxBytes:)``.
public enum CSVRead: Sendable {
    /// Read.
    case table(CSVTable)
    /// Not handed in: what to tell the student (the message follows the file's name).
    case absent(message: String, fix: String)
    /// Handed in but unusable (too large, not CSV).
    case invalid(message: String, fix: String)
}
