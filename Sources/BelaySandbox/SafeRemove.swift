import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Removes folders left by untrusted code, however deep, without ever following a symbolic link.
///
/// `FileManager.removeItem` builds full paths and fails with `ENAMETOOLONG` on a tree deeper than `PATH_MAX`
/// allows (a student's 2,500-level folder). This walks the tree on descriptors instead: `openat` with
/// `O_NOFOLLOW` to go down, `unlinkat` relative to the open folder, and `openat(…, "..")` checked against the
/// recorded device and inode to come back up. It holds two descriptors at any time, whatever the depth.
package enum SafeRemove {
    /// Why some of a tree could not be removed.
    package struct Failure: Error, CustomStringConvertible {
        /// The path given, for the message.
        package var path: String
        /// How many entries could not be removed.
        package var count: Int
        /// The first problem met, with the C library's words.
        package var first: String

        package var description: String {
            "could not remove \(count) entr\(count == 1 ? "y" : "ies") under \(path): \(first)"
        }
    }

    /// Removes `url`'s file, link or folder tree; a missing path is not an error.
    ///
    /// - Throws: ``Failure`` when something could not be removed (what could be removed is removed).
    /// - Complexity: O(*n* · *k*) for *n* entries, *k* the most subfolders in one folder.
    package static func remove(_ url: URL) throws(Failure) {
        try remove(path: url.path)
    }

    /// Removes the file, link or folder tree at `path`; a missing path is not an error.
    ///
    /// - Throws: ``Failure`` when something could not be removed (what could be removed is removed).
    package static func remove(path: String) throws(Failure) {
        var problems = Problems(path: path)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno != ENOENT { problems.add("lstat", path) }
            try problems.check()
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            if unlink(path) != 0, errno != ENOENT { problems.add("unlink", path) }
            try problems.check()
            return
        }
        let root = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else {
            problems.add("open", path)
            try problems.check()
            return
        }
        empty(root, &problems)  // closes root
        if rmdir(path) != 0, errno != ENOENT { problems.add("rmdir", path) }
        try problems.check()
    }

    /// Problems met so far.
    private struct Problems {
        mutating func add(_ call: String, _ name: Name, errno code: Int32 = errno) {
            add(call, String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self), errno: code)
        }

        var path: String
        var count = 0
        var first: String?

        mutating func add(_ call: String, _ name: String, errno code: Int32 = errno) {
            count += 1
            if first == nil { first = "\(call) \(name): \(String(cString: strerror(code)))" }
        }

        func check() throws(Failure) {
            if let first { throw Failure(path: path, count: count, first: first) }
        }
    }

    /// A file name as the folder holds it: its bytes and a terminating NUL (names need not be UTF-8).
    private typealias Name = [CChar]

    /// One folder on the way down: its identity and the name it has in its parent.
    private struct Level {
        var device: UInt
        var inode: UInt
        var name: Name
        /// Entries of the parent that could not be removed, skipped on the next listing.
        var parentFailures: Set<Name>
    }

    /// Empties the folder open at `start` and everything below it, then closes `start`.
    private static func empty(_ start: Int32, _ problems: inout Problems) {
        var current = start
        var levels: [Level] = []
        var failures: Set<Name> = []  // entries of `current` that could not be removed
        while true {
            // Remove what the folder holds; stop at the first subfolder that is not empty and go down into it.
            var descended = false
            for name in entries(of: current, &problems) where !failures.contains(name) {
                if unlinkat(current, name, 0) == 0 || errno == ENOENT { continue }
                guard errno == EISDIR || errno == EPERM else {
                    problems.add("unlinkat", name)
                    failures.insert(name)
                    continue
                }
                if unlinkat(current, name, AT_REMOVEDIR) == 0 || errno == ENOENT { continue }
                var child = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child < 0, errno == EACCES {
                    // A folder its owner made unreadable (mode 000): give it back to us, then open it. `name`
                    // is checked to be a real folder first; chmod follows links, so a link is never chmodded.
                    var info = stat()
                    if fstatat(current, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR {
                        _ = fchmodat(current, name, 0o700, 0)
                        child = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    }
                }
                guard child >= 0 else {
                    problems.add("openat", name)
                    failures.insert(name)
                    continue
                }
                var info = stat()
                guard fstat(current, &info) == 0 else {
                    problems.add("fstat", name)
                    close(child)
                    failures.insert(name)
                    continue
                }
                levels.append(
                    Level(device: UInt(info.st_dev), inode: UInt(info.st_ino), name: name, parentFailures: failures))
                close(current)
                current = child
                failures = []
                descended = true
                break
            }
            if descended { continue }
            // `current` is as empty as it gets: go back up and remove it from its parent.
            guard let level = levels.popLast() else {
                close(current)
                return
            }
            let parent = openat(current, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            var info = stat()
            close(current)
            guard parent >= 0, fstat(parent, &info) == 0, UInt(info.st_dev) == level.device,
                UInt(info.st_ino) == level.inode
            else {
                // The tree was moved under us: stop rather than remove something else.
                problems.add("openat ..", level.name, errno: parent >= 0 ? ESTALE : errno)
                if parent >= 0 { close(parent) }
                return
            }
            current = parent
            failures = level.parentFailures
            if unlinkat(current, level.name, AT_REMOVEDIR) != 0, errno != ENOENT {
                problems.add("unlinkat", level.name)
                failures.insert(level.name)
            }
        }
    }

    /// The names in the folder open at `fd` (without `.` and `..`), read through a duplicate descriptor.
    private static func entries(of fd: Int32, _ problems: inout Problems) -> [Name] {
        let copy = dup(fd)
        guard copy >= 0, let directory = fdopendir(copy) else {
            problems.add("fdopendir", ".")
            return []
        }
        defer { closedir(directory) }
        rewinddir(directory)
        var names: [Name] = []
        let dot = CChar(UInt8(ascii: "."))
        while let entry = readdir(directory) {
            let name: Name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
            }
            if name == [dot, 0] || name == [dot, dot, 0] { continue }
            names.append(name)
        }
        return names
    }
}
