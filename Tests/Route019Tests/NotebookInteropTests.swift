import BelayData
import BelayGrading
import BelayRoute
import BelayTestSupport
import Foundation
import Route019
import Testing

/// The Python route end to end: the reference notebook (pandas, h5py, SciPy, scikit-learn, as the course writes
/// it) is executed from a fresh kernel by nbclient, and what it writes, notebook included, must score full marks.
/// This cross-checks Belay's features, cleaning, clusters, splits and reruns against the field's own tools.
@Suite("Python notebook route", .serialized, .timeLimit(.minutes(45)))
struct NotebookInteropTests {
    static let jupyter = Python.isAvailable("nbclient", "ipykernel", "pandas", "h5py", "sklearn", "scipy", "openpyxl")

    /// Executes the reference notebook on `data` and grades what it wrote against `reference`.
    func executeAndGrade(data: URL, reference: Route019Reference) async throws -> GradeReport {
        let directory = try TemporaryDirectory(prefix: "belay-notebook")
        defer { directory.cleanup() }
        let notebook = directory.file("leaky_pipeline.ipynb")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/notebook/leaky_pipeline.ipynb"),
            to: notebook)
        _ = try Python.output(
            script: """
                import os, sys, nbformat, nbclient
                os.environ["DATA_DIR"], os.environ["SUBMISSION_DIR"] = sys.argv[2], os.path.dirname(sys.argv[1])
                nb = nbformat.read(sys.argv[1], as_version=4)
                nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                        resources={"metadata": {"path": os.path.dirname(sys.argv[1])}}).execute()
                nbformat.write(nb, sys.argv[1])
                """, arguments: [notebook.path, data.path])
        let grader = Route019Grader(reference: reference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
        return await grader.grade(submissionAt: directory.url, name: "student")
    }

    func expectFullMarks(_ report: GradeReport) {
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message)\n\($0.details.prefix(400))" })")
        #expect(report.result("nb.figures_agree")?.outcome == .passed)
        #expect(report.result("ex4.answers.present")?.message.contains("leaky_pipeline.ipynb") == true)
    }

    @Test(.enabled(if: jupyter, "needs nbclient, ipykernel and the Python reference stack (CI requires them)"))
    func executedReferenceNotebookScoresFullMarks() async throws {
        expectFullMarks(try await executeAndGrade(data: try CourseDataset.embeddedDefaultDirectory(), reference: sharedReference))
    }

    /// The same notebook, unchanged, on `belay data synth` data: UniProt text instead of GO terms, 1024-wide
    /// vectors, labelled ids without an embedding. Following the course's steps (the sheet's `location` column)
    /// scores full marks there too.
    @Test(.enabled(if: jupyter, "needs nbclient, ipykernel and the Python reference stack (CI requires them)"))
    func executedReferenceNotebookScoresFullMarksOnSynthesizedData() async throws {
        let (data, reference) = try synthesizedCourseData(proteins: 2000, labeled: 900, dimension: 256, seed: 5)
        defer { data.cleanup() }
        expectFullMarks(try await executeAndGrade(data: data.url, reference: reference))
    }
}
