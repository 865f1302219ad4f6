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
}
