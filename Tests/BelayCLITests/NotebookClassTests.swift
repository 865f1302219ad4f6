import BelayTestSupport
import Foundation
import Testing

/// A class of 20 notebooks graded in one `belay grade` batch: 14 honest ones in varied student styles
/// (Tests/Notebooks/class/, made by make_class.py, and course_steps.ipynb) and the six hostile ones of
/// make_fixtures.py. Every honest notebook gets full marks; every hostile one is contained and reported as that
/// student's own result; nothing of the grader's (rubric, class folder, home) changes.
@Suite("A class of notebooks graded in one batch", .serialized, .timeLimit(.minutes(45)))
struct NotebookClassTests {
    static let jupyter = Python.isAvailable("nbclient", "ipykernel", "pandas", "h5py", "sklearn", "scipy", "openpyxl")
    static let notebooks = CLITests.root.appendingPathComponent("Tests/Notebooks")
    static let hostile = ["hostile_loop", "hostile_network", "hostile_rubric", "hostile_rm", "hostile_memory", "hostile_kill"]

    /// Every regular file under `folder`, by relative path, with its bytes.
    static func snapshot(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let base = folder.standardizedFileURL.path + "/"
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) ?? .init() {
            let path = url.standardizedFileURL.path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[String(path.dropFirst(base.count))] = try? Data(contentsOf: url)
            }
        }
        return files
    }

    @Test(.enabled(if: jupyter, "needs nbclient, ipykernel and the Python reference stack (CI requires them)"))
    func classOfTwentyNotebooksIsGradedWithEveryHostileOneContained() throws {
        let directory = try TemporaryDirectory(prefix: "belay-notebook-class")
        defer { directory.cleanup() }
        let fm = FileManager.default
        let classFolder = directory.file("class")
        var honest = try fm.contentsOfDirectory(atPath: Self.notebooks.appendingPathComponent("class").path)
            .filter { $0.hasSuffix(".ipynb") }.map { "class/" + $0 }
        honest.append("course_steps.ipynb")
        let students = honest + Self.hostile.map { $0 + ".ipynb" }
        #expect(students.count == 20)
        for file in students {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            try fm.createDirectory(at: classFolder.appendingPathComponent(name), withIntermediateDirectories: true)
            try fm.copyItem(
                at: Self.notebooks.appendingPathComponent(file),
                to: classFolder.appendingPathComponent(name).appendingPathComponent(name + ".ipynb"))
        }
        // The grader's own files, all readable by everyone: a rubric, a home with a file in it.
        let rubric = directory.file("rubric.yaml")
        try fm.copyItem(at: CLITests.root.appendingPathComponent("rubrics/019-leaky-pipeline/rubric.yaml"), to: rubric)
        let home = directory.file("home")
        try fm.createDirectory(at: home, withIntermediateDirectories: true)
        try Data("the grader's\n".utf8).write(to: home.appendingPathComponent("keep.txt"))
        for path in [directory.path, home.path, classFolder.path] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        let before = (Self.snapshot(classFolder), Self.snapshot(home), try Data(contentsOf: rubric))

        // --timeout 300: each notebook gets min(600, 300 - 90) = 210 s, the per-cell limit stays 120 s.
        let out = directory.file("out")
        let run = try CLITests.belay(
            ["grade", classFolder.path, "--out", out.path, "--rubric", rubric.path, "--timeout", "300", "--python", Python.executable],
            environment: ["HOME": home.path])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("20 students: 20 graded"), "\(run.stdout)")

        // Nothing of the grader's changed: no student, no rubric, no home file was touched.
        #expect(Self.snapshot(classFolder) == before.0)
        #expect(Self.snapshot(home) == before.1)
        #expect(try Data(contentsOf: rubric) == before.2)
        #expect(fm.fileExists(atPath: CLITests.root.appendingPathComponent("Package.swift").path))

        // The gradebook: every honest notebook has full marks (a false fail is the worst bug), every hostile one not.
        let gradebook = try String(contentsOf: out.appendingPathComponent("gradebook.csv"), encoding: .utf8)
        var totals: [String: (Int, Int)] = [:]
        for line in gradebook.split(whereSeparator: \.isNewline).dropFirst(2) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > 3, let total = Int(fields[2]), let max = Int(fields[3]) else { continue }
            totals[String(fields[0])] = (total, max)
        }
        func report(_ name: String) -> String {
            (try? String(contentsOf: out.appendingPathComponent(name).appendingPathComponent("report.txt"), encoding: .utf8)) ?? ""
        }
        func executed(_ name: String) -> String {
            let url = out.appendingPathComponent(name).appendingPathComponent("notebook").appendingPathComponent(name + ".ipynb")
            return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        for file in honest {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let (total, max) = try #require(totals[name], "\(name) is missing from the gradebook:\n\(gradebook)")
            #expect(total == max && max > 0, "\(name): \(total)/\(max)\n\(report(name))")
            #expect(!executed(name).isEmpty, "\(name): the executed notebook was not kept")
        }
        for name in Self.hostile {
            let (total, max) = try #require(totals[name], "\(name) is missing from the gradebook")
            #expect(total < max, "\(name)")
            #expect(report(name).contains("notebook run in the sandbox"), "\(name): \(report(name))")
        }
        // Each hostile act is named in that student's report.
        #expect(report("hostile_loop").contains("per-cell time limit"), "\(report("hostile_loop"))")
        #expect(report("hostile_network").contains("URLError") || report("hostile_network").contains("OSError"))
        #expect(report("hostile_kill").contains("kernel died in cell 2"), "\(report("hostile_kill"))")
        #expect(
            report("hostile_memory").contains("MemoryError") || report("hostile_memory").contains("per-cell time limit")
                || report("hostile_memory").contains("memory"), "\(report("hostile_memory"))")
        // The search for the rubric, other students and the grader's home found nothing, and ran to the end.
        #expect(executed("hostile_rubric").contains("FOUND []"), "\(executed("hostile_rubric").suffix(2000))")
        #expect(executed("hostile_rubric").contains("after"))
        #expect(executed("hostile_rm").contains("after"))
    }
}
