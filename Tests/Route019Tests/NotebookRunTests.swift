import BelayGrading
import BelayRoute
import BelayTestSupport
import Foundation
import Route019
import Testing

/// Handed-in notebooks run in the sandbox (nbclient + ipykernel), and the work is found in the kernel.
/// Each notebook runs once; the assertions share its report.
@Suite("Notebook runs in the sandbox", .serialized, .timeLimit(.minutes(45)))
struct NotebookRunTests {
    static let jupyter = Python.isAvailable("nbclient", "ipykernel", "pandas", "h5py", "sklearn", "scipy", "openpyxl")
    static let notebooks = repositoryRoot.appendingPathComponent("Tests/Notebooks")

    /// Grades `notebook` handed in alone, keeping the executed notebook in a temporary folder.
    static func grade(_ notebook: URL, cellSeconds: Double = 120, notebookSeconds: Double = 300) async throws
        -> (GradeReport, executed: String)
    {
        let keep = try TemporaryDirectory(prefix: "belay-notebook-run")
        defer { keep.cleanup() }
        var grader = Route019Grader(reference: sharedReference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
        grader.notebookRun = NotebookRunOptions(cellSeconds: cellSeconds, notebookSeconds: notebookSeconds, keepIn: keep.url)
        let name = notebook.deletingPathExtension().lastPathComponent
        let report = await grader.grade(submissionAt: notebook, name: name)
        let executed = keep.url.appendingPathComponent(name).appendingPathComponent("notebook")
            .appendingPathComponent(notebook.lastPathComponent)
        return (report, (try? String(contentsOf: executed, encoding: .utf8)) ?? "")
    }

    @Test(.enabled(if: jupyter, "needs nbclient, ipykernel and the Python reference stack (CI requires them)"))
    func notebookWrittenFromTheCourseStepsScoresFullMarks() async throws {
        let (report, executed) = try await Self.grade(Self.notebooks.appendingPathComponent("course_steps.ipynb"))
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message)\n\($0.details.prefix(400))" })\n\(report.property("sandbox.notes") ?? "")")
        #expect(report.property("submission.kind") == "notebook")
        // Where each artefact came from, by the student's own names.
        let found = report.property("notebook.found") ?? ""
        #expect(found.contains("features.csv <- `X` with ids df['Entry'], labels df['location']"), "\(found)")
        #expect(found.contains("clusters.csv <- ids `keep`, clusters `labels`"), "\(found)")
        #expect(found.contains("`E_test`") && found.contains("`is_test`"), "\(found)")
        #expect(found.contains("leakage_accuracy from `leak_acc`"), "\(found)")
        // The executed notebook is kept, with its outputs.
        #expect(executed.contains("proteins with an embedding"))
    }

    @Test(.enabled(if: jupyter, "needs nbclient, ipykernel and the Python reference stack (CI requires them)"))
    func starterNotebookRunUnchangedFailsWithAHintPerExercise() async throws {
        let starter = repositoryRoot.appendingPathComponent("exercises/019-leaky-pipeline/leaky_pipeline.ipynb")
        let (report, _) = try await Self.grade(starter)
        #expect(report.result("ex0.features.readable")?.outcome == .failed)
        #expect(report.result("ex0.features.readable")?.message.contains("was not found in the notebook") == true)
        #expect(report.result("ex0.features.readable")?.message.contains("X_features") == true)
        #expect(report.result("ex1.encoding.bijective")?.message.contains("LabelEncoder") == true)
        #expect(report.result("ex3.splits.readable")?.outcome == .failed)
        #expect(report.result("ex3.alignment")?.message.contains("cluster_labels") == true)
        // The submission cell fails on the starter's `None`s: an error in the notebook, named.
        #expect(report.result("nb.no_errors")?.outcome == .failed)
        #expect(report.result("nb.no_errors")?.details.contains("NoneType") == true)
        #expect(report.results.filter { $0.outcome == .failed }.allSatisfy { $0.hint != nil || !$0.message.isEmpty })
        #expect(report.result("ex4.answers.present")?.outcome != .passed)
    }

    /// Hostile notebooks, run side by side: each is contained and reported as that student's own failing result.
    @Test(.enabled(if: jupyter, "needs nbclient and ipykernel (CI requires them)"))
    func hostileNotebooksAreContainedEachAsItsOwnResult() async throws {
        let names = [
            "hostile_loop", "hostile_network", "hostile_rubric", "hostile_rm", "hostile_memory", "hostile_kill",
        ]
        let results = await withTaskGroup(of: (String, GradeReport, String).self) { group in
            for name in names {
                group.addTask {
                    let (report, executed) = (try? await Self.grade(
                        Self.notebooks.appendingPathComponent(name + ".ipynb"), cellSeconds: 10, notebookSeconds: 60))
                        ?? (GradeReport.ungradable(submissionName: name, route: "", routeTitle: "", message: "", details: "", properties: []), "")
                    return (name, report, executed)
                }
            }
            var all: [String: (GradeReport, String)] = [:]
            for await (name, report, executed) in group { all[name] = (report, executed) }
            return all
        }
        for name in names {
            let (report, _) = try #require(results[name])
            #expect(!report.allPassed, "\(name)")
            #expect(report.result("ex0.features.readable")?.outcome == .failed, "\(name)")
        }
        func notes(_ name: String) -> String { results[name]?.0.property("sandbox.notes") ?? "" }
        func errors(_ name: String) -> String { results[name]?.0.result("nb.no_errors")?.details ?? "" }
        func executed(_ name: String) -> String { results[name]?.1 ?? "" }
        // The loop is stopped at the per-cell limit; the cells after it are reported as not run.
        #expect(notes("hostile_loop").contains("per-cell time limit"), "\(notes("hostile_loop"))")
        #expect(results["hostile_loop"]?.0.result("nb.ran_in_order")?.outcome == .failed)
        // No network: the request fails inside the notebook.
        #expect(errors("hostile_network").contains("URLError") || errors("hostile_network").contains("OSError"), "\(errors("hostile_network"))")
        // Nothing of the grader is visible: no rubric, no repository.
        #expect(executed("hostile_rubric").contains("\"[]\\n\""), "\(executed("hostile_rubric").suffix(1500))")
        #expect(executed("hostile_rubric").contains("hello"))
        // rm -rf ~ / removes nothing of the grader's.
        #expect(FileManager.default.fileExists(atPath: Self.notebooks.appendingPathComponent("course_steps.ipynb").path))
        #expect(FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("Package.swift").path))
        // The memory balloon stops at the address-space limit inside the kernel (a MemoryError), or, when the kernel
        // can no longer answer with its memory full, at the per-cell limit.
        #expect(
            errors("hostile_memory").contains("MemoryError") || notes("hostile_memory").contains("per-cell time limit"),
            "\(errors("hostile_memory")) \(notes("hostile_memory"))")
        // A killed kernel is reported, and the cells after it never ran.
        #expect(notes("hostile_kill").contains("kernel died in cell 2"), "\(notes("hostile_kill"))")
        #expect(results["hostile_kill"]?.0.result("nb.ran_in_order")?.outcome == .failed)
    }
}
