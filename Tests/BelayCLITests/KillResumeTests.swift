import BelayTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `belay grade` killed with SIGKILL at chosen points of a class, then rerun: the final outputs must be the bytes
/// of an uninterrupted run, and nothing a killed run left half-written may survive.
@Suite("belay grade killed and resumed", .serialized, .timeLimit(.minutes(45)))
struct KillResumeTests {
    /// Where a run is killed.
    enum KillPoint: CustomStringConvertible {
        /// After a fixed delay (the data and the reference are still being loaded).
        case afterSeconds(Double)
        /// As soon as `count` output files were (re)written by this run.
        case newFiles(Int)
        /// As soon as this output file was (re)written by this run.
        case newFile(String)
        /// While a Swift compiler started by this run is running, once `student`'s turn has come.
        case swiftBuild(after: String)

        var description: String {
            switch self {
            case .afterSeconds(let s): "\(s) s after the start (loading data, running the reference)"
            case .newFiles(let n): "after the run's \(n) first written file(s)"
            case .newFile(let path): "once \(path) is written"
            case .swiftBuild(let student): "during the Swift build (after \(student))"
            }
        }
    }

    /// What happened at one kill point.
    struct Kill {
        var point: KillPoint
        /// False when the run finished before the point came.
        var killed: Bool
        var filesWritten: Int
        var temporaryFilesLeft: Int
        /// A student with new reports but no cache entry yet: killed between their first report and the entry.
        var studentsCaughtMidStore: [String]
    }

    static let temporaryMarker = ".belay-tmp-"

    @Test func killedRunsResumeToTheOutputsOfAnUninterruptedRun() throws {
        let directory = try TemporaryDirectory(prefix: "belay-kill")
        defer { directory.cleanup() }
        let (klass, data) = try Self.makeClass(in: directory)
        let common = [klass.path, "--data", data.path, "--reproducible"]

        let whole = directory.file("whole")
        let uninterrupted = try CLITests.belay(["grade"] + common + ["--out", whole.path, "--jobs", "2"])
        #expect(uninterrupted.status == 0, "\(uninterrupted.stdout)\n\(uninterrupted.stderr)")
        let expected = try Self.snapshot(whole)
        #expect(expected.keys.contains("m-swift/.belay-cache.json"), "the Swift student was graded: \(expected.keys.sorted())")

        // One output folder, killed again and again: each run resumes what the previous ones left.
        let resumed = directory.file("resumed")
        let points: [KillPoint] = [
            .afterSeconds(0.3), .newFiles(1), .newFiles(7), .newFile("dave/junit.xml"), .swiftBuild(after: "dave"),
            .newFile("m-swift/report.txt"), .newFile("gradebook.csv"),
        ]
        var kills: [Kill] = []
        for point in points {
            kills.append(try Self.run(["grade"] + common + ["--out", resumed.path, "--jobs", "1"], killingAt: point, out: resumed))
        }
        let final = try CLITests.belay(["grade"] + common + ["--out", resumed.path, "--jobs", "1"])
        #expect(final.status == 0, "\(final.stdout)\n\(final.stderr)")

        let actual = try Self.snapshot(resumed)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        let differing = expected.keys.filter { actual[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ from the uninterrupted run: \(differing)")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: resumed.path).filter { $0.contains(Self.temporaryMarker) }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")

        let landed = kills.filter(\.killed)
        // A fast (release) belay can finish a short stretch before the watcher sees the file that marks a kill point;
        // those runs simply complete. Most points must still land, so the resumes are exercised from many states.
        #expect(landed.count >= points.count / 2 + 1, "kill points reached before the run ended: \(landed.map(\.point))")
        #expect(kills.contains { $0.killed && ($0.point.description.contains("Swift build")) }, "no kill during the Swift build")
        print("kill-and-resume: \(landed.count) of \(points.count) kill points landed, \(expected.count) output files identical")
        for kill in kills {
            print(
                "  \(kill.killed ? "killed" : "finished first"): \(kill.point); \(kill.filesWritten) file(s) written, "
                    + "\(kill.temporaryFilesLeft) temporary file(s) left, caught mid-store: \(kill.studentsCaughtMidStore)")
        }
    }

    // MARK: The class

    /// Six students on small generated data: full marks, a missing file, a junk archive, a NaN metric, a Swift
    /// package (built in the sandbox) and a missing reflection.
    static func makeClass(in directory: TemporaryDirectory) throws -> (klass: URL, data: URL) {
        let data = directory.file("data"), reference = directory.file("ref"), klass = directory.file("class")
        let synth = try CLITests.belay(["data", "synth", "--out", data.path, "--proteins", "400", "--labeled", "150", "--dim", "32"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let ref = try CLITests.belay(["reference", "--data", data.path, "--out", reference.path, "--seed", "42"])
        #expect(ref.status == 0, "\(ref.stderr)")
        let solution = CLITests.root.appendingPathComponent("solutions/019-leaky-pipeline")
        let fm = FileManager.default
        try fm.copyItem(at: solution.appendingPathComponent("reflection.md"), to: reference.appendingPathComponent("reflection.md"))
        try fm.createDirectory(at: klass, withIntermediateDirectories: true)
        for name in ["alice", "bob", "dave", "zoe"] {
            try fm.copyItem(at: reference, to: klass.appendingPathComponent(name))
        }
        try fm.removeItem(at: klass.appendingPathComponent("bob/splits.csv"))
        try Data("not a zip".utf8).write(to: klass.appendingPathComponent("carol.zip"))
        try Data("name,value\nleakage_accuracy,NaN\n".utf8).write(to: klass.appendingPathComponent("dave/metrics.csv"))
        try fm.copyItem(at: solution.appendingPathComponent("swift"), to: klass.appendingPathComponent("m-swift"))
        try fm.removeItem(at: klass.appendingPathComponent("zoe/reflection.md"))
        return (klass, data)
    }

    // MARK: Running and killing

    /// Runs belay with `arguments` and SIGKILLs it (and every process it started) at `point`.
    static func run(_ arguments: [String], killingAt point: KillPoint, out: URL) throws -> Kill {
        let before = inodes(out)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let start = Date()

        func written() -> [String] { inodes(out).filter { before[$0.key] != $0.value }.map(\.key) }
        func reached() -> Bool {
            switch point {
            case .afterSeconds(let seconds):
                return Date().timeIntervalSince(start) >= seconds
            case .newFiles(let count):
                return written().count >= count
            case .newFile(let path):
                return written().contains(path)
            case .swiftBuild(let student):
                return FileManager.default.fileExists(atPath: out.appendingPathComponent("\(student)/.belay-cache.json").path)
                    && descendants(of: pid).contains { $0.name.hasPrefix("swift") }
            }
        }
        var killed = false
        while process.isRunning {
            if reached() {
                let tree = descendants(of: pid)
                killed = kill(pid, SIGKILL) == 0
                for child in tree { kill(child.pid, SIGKILL) }
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        killed = killed && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL

        let files = written()
        let temporary = (try? FileManager.default.subpathsOfDirectory(atPath: out.path))?
            .filter { $0.contains(temporaryMarker) } ?? []
        let students = Set(files.compactMap { $0.split(separator: "/").count == 2 ? String($0.split(separator: "/")[0]) : nil })
        let midStore = students.filter { !files.contains("\($0)/.belay-cache.json") && $0 != "carol" }.sorted()
        return Kill(
            point: point, killed: killed, filesWritten: files.count, temporaryFilesLeft: temporary.count,
            studentsCaughtMidStore: midStore)
    }

    /// The inode of every finished output file (temporary files excluded): a file rewritten by rename gets a new one.
    static func inodes(_ out: URL) -> [String: UInt64] {
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: out.path) else { return [:] }
        var result: [String: UInt64] = [:]
        for path in paths where !path.contains(temporaryMarker) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(path).path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular,
                let inode = (attributes?[.systemFileNumber] as? NSNumber)?.uint64Value
            else { continue }
            result[path] = inode
        }
        return result
    }

    /// The processes descending from `root`, with their command names, from `/proc`.
    static func descendants(of root: pid_t) -> [(pid: pid_t, name: String)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [pid_t: [(pid: pid_t, name: String)]] = [:]
        for entry in entries {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            let name = String(stat[stat.index(after: open)..<close])
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = pid_t(fields[1]) else { continue }
            children[parent, default: []].append((pid, name))
        }
        var result: [(pid: pid_t, name: String)] = []
        var queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] {
                result.append(child)
                queue.append(child.pid)
            }
        }
        return result
    }

    /// Every file under `directory` by relative path, with its bytes.
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[path] = try Data(contentsOf: url)
        }
        return files
    }
}
