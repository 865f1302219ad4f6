@testable import BelaySandbox
import BelayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Working folders are removed whatever a student left in them, without following links.
struct SafeRemoveTests {
    /// Creates `depth` nested folders named `name` under `root` on descriptors (the path would be too long for
    /// `mkdir`), with a file in the deepest, and returns the deepest folder's descriptor.
    func makeDeepTree(at root: String, depth: Int, name: String) throws -> Int32 {
        var fd = open(root, O_RDONLY | O_DIRECTORY)
        try #require(fd >= 0)
        for _ in 0..<depth {
            try #require(mkdirat(fd, name, 0o755) == 0)
            let child = openat(fd, name, O_RDONLY | O_DIRECTORY)
            close(fd)
            try #require(child >= 0)
            fd = child
        }
        let file = openat(fd, "leaf.txt", O_WRONLY | O_CREAT, 0o644)
        try #require(file >= 0)
        _ = write(file, "x", 1)
        close(file)
        return fd
    }

    @Test func removesATreeDeeperThanPathMax() throws {
        let scratch = try TemporaryDirectory(prefix: "belay-safe-remove")
        defer { scratch.cleanup() }
        let root = scratch.file("work").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        // 2,500 levels of 10-character names: a path of about 27,500 bytes, past PATH_MAX (4096).
        let deepest = try makeDeepTree(at: root, depth: 2500, name: "abcdefghij")
        // Links at the bottom to things outside that must survive: a file and a folder.
        let outsideFile = scratch.file("keep.txt")
        try Data("keep".utf8).write(to: outsideFile)
        let outsideFolder = scratch.file("keep-folder")
        try FileManager.default.createDirectory(at: outsideFolder, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: outsideFolder.appendingPathComponent("inside.txt"))
        #expect(symlinkat(outsideFile.path, deepest, "link-to-file") == 0)
        #expect(symlinkat(outsideFolder.path, deepest, "link-to-folder") == 0)
        // A name that is not UTF-8, and an unreadable folder.
        #expect(mkdirat(deepest, "\u{1}", 0o000) == 0)
        let latin1: [CChar] = [CChar(bitPattern: 0xE9), CChar(bitPattern: 0xFF), 0]
        let odd = openat(deepest, latin1, O_WRONLY | O_CREAT, 0o600)
        #expect(odd >= 0)
        close(odd)
        close(deepest)

        try SafeRemove.remove(URL(fileURLWithPath: root))

        #expect(!FileManager.default.fileExists(atPath: root))
        #expect(FileManager.default.fileExists(atPath: outsideFile.path))
        #expect(FileManager.default.fileExists(atPath: outsideFolder.appendingPathComponent("inside.txt").path))
    }

    @Test func aLinkGivenAsTheRootIsRemovedNotFollowed() throws {
        let scratch = try TemporaryDirectory(prefix: "belay-safe-remove")
        defer { scratch.cleanup() }
        let target = scratch.file("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("file"))
        let link = scratch.file("link")
        #expect(symlink(target.path, link.path) == 0)
        try SafeRemove.remove(link)
        #expect(!FileManager.default.fileExists(atPath: link.path))
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("file").path))
        // A missing path is not an error.
        try SafeRemove.remove(link)
    }

    @Test func wideTreesAndPlainFilesAreRemoved() throws {
        let scratch = try TemporaryDirectory(prefix: "belay-safe-remove")
        defer { scratch.cleanup() }
        let root = scratch.file("wide")
        for i in 0..<50 {
            let folder = root.appendingPathComponent("d\(i)/e/f")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: folder.appendingPathComponent("g"))
            try Data("x".utf8).write(to: root.appendingPathComponent("file\(i)"))
        }
        try SafeRemove.remove(root)
        #expect(!FileManager.default.fileExists(atPath: root.path))
        let file = scratch.file("plain")
        try Data("x".utf8).write(to: file)
        try SafeRemove.remove(file)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}
