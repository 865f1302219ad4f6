import BelayFormats
import BelayTestSupport
import Foundation
import Testing

@Suite("Safe unzip")
struct SafeUnzipTests {
    @Test func extractsNestedFilesAndSkipsMacMetadata() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let zip = directory.file("submission.zip")
        try makeZip(at: zip, entries: [
            ("student/ex0.ipynb", "{}"), ("student/data/out.csv", "a,b\n1,2\n"), ("./student/./notes.txt", "hi"),
            ("__MACOSX/student/._ex0.ipynb", "junk"),
        ])
        let target = directory.file("out")
        try SafeUnzip.extract(zip, to: target)
        #expect(try String(contentsOf: target.appendingPathComponent("student/data/out.csv"), encoding: .utf8) == "a,b\n1,2\n")
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("student/notes.txt").path))
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("__MACOSX").path))
    }

    @Test(arguments: [
        ("../evil.txt", "\"..\" path component"),
        ("student/../../evil.txt", "\"..\" path component"),
        ("/etc/evil.txt", "absolute path"),
        ("..\\evil.txt", "\"..\" path component"),
        ("C:/evil.txt", "drive-letter path"),
    ])
    func refusesEntriesEscapingTheDestination(entry: String, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let zip = directory.file("slip.zip")
        try makeZip(at: zip, entries: [("ok.txt", "fine"), (entry, "pwned")])
        let target = directory.file("a/b/out")
        let error = try #require(throws: SafeUnzipError.self) { try SafeUnzip.extract(zip, to: target) }
        #expect(error.entry == entry)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.contains("slip.zip"))
        // Validation happens before anything is written.
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("ok.txt").path))
        #expect(!FileManager.default.fileExists(atPath: directory.file("a/evil.txt").path))
    }

    @Test func refusesSymlinksAndEnforcesCaps() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let linked = directory.file("link.zip")
        try makeZip(at: linked, entries: [("a.txt", "x")], symlinks: [("escape", "/etc")])
        let error = try #require(throws: SafeUnzipError.self) { try SafeUnzip.extract(linked, to: directory.file("o1")) }
        #expect(error.entry == "escape" && error.message.contains("symbolic link"))

        let big = directory.file("big.zip")
        try makeZip(at: big, entries: [("a.txt", String(repeating: "a", count: 600)), ("b.txt", String(repeating: "b", count: 600))])
        let size = try #require(throws: SafeUnzipError.self) { try SafeUnzip.extract(big, to: directory.file("o2"), maxTotalBytes: 1000) }
        #expect(size.entry == "b.txt" && size.message.contains("limit of 1000 bytes"))
        let count = try #require(throws: SafeUnzipError.self) { try SafeUnzip.extract(big, to: directory.file("o3"), maxEntries: 1) }
        #expect(count.entry == nil && count.message.contains("2 entries"))

        let notZip = directory.file("not.zip")
        try Data("nope".utf8).write(to: notZip)
        #expect(throws: SafeUnzipError.self) { try SafeUnzip.extract(notZip, to: directory.file("o4")) }
    }
}
