import BelayLab
import BelayRoute
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The long version of the kill-and-resume test (Tests/BelayCLITests/KillResumeTests.swift): many seeded-random
/// kill points over a larger class, each followed by a rerun whose outputs must equal an uninterrupted run's.
extension BenchCommand {
    func killResumeRun(scratch: URL) throws {
        let belay = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        guard FileManager.default.isExecutableFile(atPath: belay.path) else {
            print("\nKill and resume: skipped (cannot find this executable)")
            return
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let root = scratch.appendingPathComponent("kill-resume")
        let data = root.appendingPathComponent("data"), reference = root.appendingPathComponent("ref")
        let klass = root.appendingPathComponent("class")
        let fm = FileManager.default
        try fm.createDirectory(at: klass, withIntermediateDirectories: true)
        guard try runToEnd(belay, ["data", "synth", "--out", data.path, "--proteins", "400", "--labeled", "150", "--dim", "32"]),
            try runToEnd(belay, ["reference", "--data", data.path, "--out", reference.path, "--seed", "42"])
        else {
            print("\nKill and resume: skipped (could not generate the class)")
            return
        }
        try fm.copyItem(
            at: repository.appendingPathComponent("solutions/\(try benchRoute.id)/reflection.md"),
            to: reference.appendingPathComponent("reflection.md"))
        // A varied class: full marks, missing splits, a NaN metric, no reflection, a junk archive.
        for i in 0..<killResumeClass {
            let name = String(format: "student%03d", i)
            if i % 11 == 5 {
                try Data("not a zip".utf8).write(to: klass.appendingPathComponent(name + ".zip"))
                continue
            }
            let student = klass.appendingPathComponent(name)
            try fm.copyItem(at: reference, to: student)
            if i % 5 == 2 { try fm.removeItem(at: student.appendingPathComponent("splits.csv")) }
            if i % 7 == 3 {
                try Data("name,value\nleakage_accuracy,NaN\n".utf8).write(to: student.appendingPathComponent("metrics.csv"))
            }
            if i % 4 == 1 { try fm.removeItem(at: student.appendingPathComponent("reflection.md")) }
        }
        let common = ["grade", klass.path, "--data", data.path, "--reproducible"]

        let whole = root.appendingPathComponent("whole")
        var start = DispatchTime.now().uptimeNanoseconds
        guard try runToEnd(belay, common + ["--out", whole.path]) else {
            print("\nKill and resume: skipped (the uninterrupted run failed)")
            return
        }
        let duration = seconds(since: start)
        let expected = try Self.files(in: whole)

        print("\nKill and resume (\(killResumeClass) CSV submissions on generated data, uninterrupted run \(String(format: "%.2f", duration)) s)")
        var rng = SeededGenerator(seed: 2019)
        var landed = 0, duringSetup = 0, midClass = 0, afterAll = 0, identical = 0, leftovers = 0, remaining = 0
        start = DispatchTime.now().uptimeNanoseconds
        for trial in 0..<killResumeTrials {
            let out = root.appendingPathComponent("trial-\(trial)")
            // One to three kills in a row at random moments of the uninterrupted run's length, then a full run.
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let delay = Double.random(in: 0..<duration, using: &rng)
                let (killed, _) = try runAndKill(belay, common + ["--out", out.path, "--jobs", "2"], after: delay)
                guard killed else { continue }
                landed += 1
                let written = (try? Self.files(in: out)) ?? [:]
                let temporary = written.keys.filter { $0.contains(".belay-tmp-") }.count
                leftovers += temporary
                let finished = written.keys.filter { !$0.contains(".belay-tmp-") }.count
                if finished == 0 { duringSetup += 1 } else if written.count == expected.count && temporary == 0 { afterAll += 1 } else { midClass += 1 }
            }
            guard try runToEnd(belay, common + ["--out", out.path]) else { continue }
            let actual = try Self.files(in: out)
            remaining += actual.keys.filter { $0.contains(".belay-tmp-") }.count
            if actual == expected { identical += 1 } else {
                let differing = Set(actual.keys).union(expected.keys).filter { actual[$0] != expected[$0] }.sorted()
                print("  trial \(trial): outputs differ: \(differing.prefix(10))")
            }
            try? fm.removeItem(at: out)
        }
        print("  \(killResumeTrials) trials, \(landed) SIGKILLs: \(duringSetup) before any output, \(midClass) while the class was graded,"
            + " \(afterAll) after every file was written")
        print("  temporary files left by the kills: \(leftovers); left after the final runs: \(remaining)")
        print("  final outputs identical to the uninterrupted run (\(expected.count) files): \(identical) of \(killResumeTrials) trials"
            + String(format: " (%.1f s in all)", seconds(since: start)))
    }

    /// Runs belay to its end with output discarded; true on exit status 0 or 1 (some checks failed).
    private func runToEnd(_ belay: URL, _ arguments: [String]) throws -> Bool {
        let process = try Self.start(belay, arguments)
        process.waitUntilExit()
        return process.terminationReason == .exit && process.terminationStatus <= 1
    }

    /// Runs belay and SIGKILLs it after `delay` seconds; `killed` is false when it ended first.
    private func runAndKill(_ belay: URL, _ arguments: [String], after delay: Double) throws -> (killed: Bool, status: Int32) {
        let process = try Self.start(belay, arguments)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(delay * 1e9)
        while process.isRunning, DispatchTime.now().uptimeNanoseconds < deadline { usleep(500) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, process.terminationStatus)
    }

    private static func start(_ belay: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = belay
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Every file under `directory` (temporary ones included) by relative path, with its bytes.
    private static func files(in directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: directory.path) {
            var isDirectory: ObjCBool = false
            let url = directory.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[path] = try Data(contentsOf: url)
        }
        return files
    }
}
