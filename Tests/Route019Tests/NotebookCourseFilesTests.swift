import BelayData
import BelayFormats
import BelayRoute
import BelayTestSupport
import Foundation
@testable import Route019
import Testing

/// The course's embedding file under both of the course's spellings in a notebook's working folder, whether the
/// dataset holds `mtb_full.h5.gz` or a plain `.h5`.
@Suite("Course files offered to a notebook", .serialized, .timeLimit(.minutes(45)))
struct NotebookCourseFilesTests {
    static let jupyter = Python.isAvailable("nbclient", "ipykernel", "h5py")

    /// A notebook of `cells` (code) in `directory`.
    static func notebook(_ name: String, _ cells: [String], in directory: TemporaryDirectory) throws -> URL {
        let json: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": ["kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"]],
            "cells": cells.enumerated().map { index, source in
                ["cell_type": "code", "id": "cell-\(index)", "metadata": [String: Any](), "execution_count": NSNull(),
                 "outputs": [Any](), "source": source] as [String: Any]
            },
        ]
        let url = directory.file(name + ".ipynb")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return url
    }

    static let unpacks = ["!gunzip mtb_full.h5.gz", "import h5py\nwith h5py.File('mtb_full.h5', 'r') as f:\n    print('vectors', len(f))"]
    static let readsPlain = ["import h5py\nwith h5py.File('mtb_full.h5', 'r') as f:\n    print('vectors', len(f))"]

    /// The embedded `.h5.gz`, unpacked to a plain `.h5` in `directory`.
    static func plainH5(in directory: TemporaryDirectory) throws -> URL {
        let plain = directory.file("mtb_full.h5")
        try Gzip.decompressFile(at: URL(fileURLWithPath: sharedReference.dataset.embeddingPath), to: plain)
        return plain
    }

    @Test func bothSpellingsAreOfferedUnlessTheNotebookUnpacksTheGzipItself() throws {
        let directory = try TemporaryDirectory(prefix: "belay-course-files")
        defer { directory.cleanup() }
        let plain = try Self.plainH5(in: directory)
        let plainBytes = try Data(contentsOf: plain)
        let gunzipping = try Self.notebook("gunzip", Self.unpacks, in: directory)
        let direct = try Self.notebook("direct", Self.readsPlain, in: directory)

        // A plain .h5 in the dataset: a real gzip of it as mtb_full.h5.gz, always; the file itself as mtb_full.h5
        // unless the notebook names the .h5.gz (then `gunzip` would refuse to overwrite it).
        let forGunzip = try Route019Submission.embeddingFiles(plain.path, for: gunzipping)
        #expect(forGunzip.map(\.1) == ["mtb_full.h5.gz"])
        #expect(try Gzip.decompress(Data(contentsOf: forGunzip[0].0)) == plainBytes)
        let forDirect = try Route019Submission.embeddingFiles(plain.path, for: direct)
        #expect(forDirect.map(\.1) == ["mtb_full.h5.gz", "mtb_full.h5"])
        #expect(forDirect[1].0.path == plain.path)

        // The course's .h5.gz: itself, and unpacked for a notebook that opens mtb_full.h5 directly.
        let gz = sharedReference.dataset.embeddingPath
        #expect(try Route019Submission.embeddingFiles(gz, for: gunzipping).map(\.0.path) == [gz])
        let unpacked = try Route019Submission.embeddingFiles(gz, for: direct)
        #expect(unpacked.map(\.1) == ["mtb_full.h5.gz", "mtb_full.h5"])
        #expect(try Data(contentsOf: unpacked[1].0) == plainBytes)
    }

    @Test(.enabled(if: jupyter, "needs nbclient, ipykernel and h5py (CI requires them)"))
    func plainH5DatasetWorksWithBothSpellingsOfTheCourseText() async throws {
        let directory = try TemporaryDirectory(prefix: "belay-course-files-run")
        defer { directory.cleanup() }
        var dataset = sharedReference.dataset
        // The dataset's plain .h5 lies beside the notebooks, like a student's own unpacked copy handed in with
        // them: the course's files replace it, or `!gunzip` would stop to ask whether to overwrite it.
        dataset.embeddingPath = try Self.plainH5(in: directory).path
        let reference = Route019Reference(dataset: dataset)
        let keep = directory.file("kept")
        for (name, cells) in [("gunzip", Self.unpacks), ("direct", Self.readsPlain)] {
            let notebook = try Self.notebook(name, cells, in: directory)
            let submission = await Route019Submission.runningNotebook(
                at: notebook, name: name, reference: reference,
                options: NotebookRunOptions(cellSeconds: 60, notebookSeconds: 120, keepIn: keep))
            let executed = try String(
                contentsOf: keep.appendingPathComponent(name).appendingPathComponent("notebook").appendingPathComponent(name + ".ipynb"),
                encoding: .utf8)
            #expect(executed.contains("vectors 3906"), "\(name): \(executed.suffix(1500))\n\(submission.sandboxNotes ?? "")")
            #expect(!executed.contains("\"output_type\": \"error\""), "\(name): \(executed.suffix(1500))")
            #expect(!executed.contains("already exists"), "\(name): gunzip refused: \(executed.suffix(1500))")
        }
    }
}
