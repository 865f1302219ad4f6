import BelayData
import BelayGrading
import BelayTestSupport
import Foundation
import Route019
import Testing

/// The Python route end to end: the reference notebook (pandas, h5py, SciPy, scikit-learn, as the course writes
/// it) is executed from a fresh kernel by nbclient, and what it writes, notebook included, must score full marks.
/// This cross-checks Belay's features, cleaning, clusters, splits and reruns against the field's own tools.
@Suite("Python notebook route", .serialized, .timeLimit(.minutes(10)))
struct NotebookInteropTests {
    @Test func executedReferenceNotebookScoresFullMarks() async throws {
        guard Python.isAvailable("nbclient", "ipykernel", "pandas", "h5py", "sklearn", "scipy", "openpyxl") else { return }
        let directory = try TemporaryDirectory(prefix: "belay-notebook")
        defer { directory.cleanup() }
        let notebook = directory.file("leaky_pipeline.ipynb")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/notebook/leaky_pipeline.ipynb"),
            to: notebook)
        let data = try CourseDataset.embeddedDefaultDirectory()
        _ = try Python.output(
            script: """
                import os, sys, nbformat, nbclient
                os.environ["DATA_DIR"], os.environ["SUBMISSION_DIR"] = sys.argv[2], os.path.dirname(sys.argv[1])
                nb = nbformat.read(sys.argv[1], as_version=4)
                nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                        resources={"metadata": {"path": os.path.dirname(sys.argv[1])}}).execute()
                nbformat.write(nb, sys.argv[1])
                """, arguments: [notebook.path, data.path])
        let report = await grade(SubmissionFolder(url: directory.url))
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message)\n\($0.details.prefix(400))" })")
        #expect(report.result("nb.figures_agree")?.outcome == .passed)
        #expect(report.result("ex4.answers.present")?.message.contains("leaky_pipeline.ipynb") == true)
    }
}
