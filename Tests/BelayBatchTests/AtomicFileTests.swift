import BelayReports
import BelayTestSupport
import Foundation
import Testing

/// A process id that no process has (above Linux's largest `pid_max`), as a killed writer's would be.
let deadPID: Int32 = 999_999_999

@Suite struct AtomicFileTests {
    @Test func writeReplacesTheWholeFileAndLeavesNoTemporaryFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let url = temp.file("report.json")
        try AtomicFile.write("old, and longer than the new text\n", to: url)
        try AtomicFile.write(Data("new\n".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("new\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == ["report.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o600 == 0o600 && $0 & 0o022 == 0 } == true, "mode \(String(mode ?? 0, radix: 8))")
    }

    @Test func aFailedWriteNamesTheFileAndLeavesNothingBehind() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.write("x", to: temp.file("missing-folder/report.json"))
        }
        #expect(error.description.contains("missing-folder/report.json: cannot create a temporary file ("))
        // Renaming over a folder fails after the temporary file was written: it is removed.
        try FileManager.default.createDirectory(at: temp.file("taken/x"), withIntermediateDirectories: true)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("x", to: temp.file("taken")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == ["taken"])
    }

    @Test func leftoversOfDeadWritersAreRemovedAndLiveWritersKept() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanup() }
        let fm = FileManager.default
        let dead = ".report.json\(AtomicFile.temporaryMarker)\(deadPID)-0a1b2c3d"
        let mine = ".gradebook.csv\(AtomicFile.temporaryMarker)\(getpid())-11111111"
        let live = ".junit.xml\(AtomicFile.temporaryMarker)1-22222222"  // init never dies
        let oldLive = ".results.json\(AtomicFile.temporaryMarker)1-33333333"
        for name in [dead, mine, live, oldLive, "report.json", ".belay-cache.json", "notes.belay-tmp-1-x"] {
            try Data("{\"half".utf8).write(to: temp.file(name))
        }
        try fm.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -2 * 86_400)], ofItemAtPath: temp.file(oldLive).path)
        #expect(AtomicFile.isTemporary(dead) && !AtomicFile.isTemporary("report.json"))
        #expect(AtomicFile.removeLeftovers(in: temp.url) == 2)
        let left = Set(try fm.contentsOfDirectory(atPath: temp.path))
        #expect(left == [mine, live, "report.json", ".belay-cache.json", "notes.belay-tmp-1-x"])
        #expect(AtomicFile.removeLeftovers(in: temp.file("no-such-folder")) == 0)
    }
}
