import BelayData
import BelayFormats
import BelayGrading
import BelayLab
import BelayRoute
import BelayTestSupport
import Foundation
import Route019

/// The real dataset's reference run, computed once for the whole test process.
let sharedReference: Route019Reference = {
    do {
        return Route019Reference(dataset: try CourseDataset.embeddedDefault())
    } catch {
        preconditionFailure("the embedded dataset must load: \(error)")
    }
}()

/// A `belay data synth` dataset written in the course's formats to a fresh folder, and Belay's reference run on it.
func synthesizedCourseData(
    proteins: Int, labeled: Int, dimension: Int, seed: UInt64
) throws -> (directory: TemporaryDirectory, reference: Route019Reference) {
    let directory = try TemporaryDirectory(prefix: "belay-synth-data")
    try SynthGenerator.generate(
        SynthConfig(proteins: proteins, labeled: labeled, seed: seed, dimension: dimension)
    ).write(to: directory.url)
    return (directory, Route019Reference(dataset: try CourseDataset.load(directory: directory.url)))
}

/// The route's rubric as shipped.
let sharedRubric: Rubric = {
    do {
        return try Rubric.load(contentsOf: try Route019Grader.defaultRubricURL())
    } catch {
        preconditionFailure("the shipped rubric must load: \(error)")
    }
}()

/// The repository's root (for `solutions/` and `exercises/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A submission folder in a fresh temporary directory, as a student would hand it in.
struct SubmissionFolder {
    let url: URL

    /// The reference submission (CSV files + model reflection), ready to be mutated.
    static func reference() throws -> SubmissionFolder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("belay-sub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try sharedReference.writeSubmission(to: url)
        let reflection = repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/reflection.md")
        try FileManager.default.copyItem(at: reflection, to: url.appendingPathComponent("reflection.md"))
        return SubmissionFolder(url: url)
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    func read(_ name: String) throws -> String { try String(contentsOf: path(name), encoding: .utf8) }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: path(name)) }

    func remove(_ name: String) throws { try FileManager.default.removeItem(at: path(name)) }

    /// Rewrites a CSV file row by row: `transform` gets the header and each row's fields and returns the new fields
    /// (nil drops the row).
    func editCSV(_ name: String, _ transform: (_ header: [String], _ row: [String], _ index: Int) -> [String]?) throws {
        let table = try CSVTable.parse(try read(name), fileName: name)
        let rows = table.rows.enumerated().compactMap { transform(table.header, $0.element, $0.offset) }
        try write(name, CSVWriter.render(header: table.header, rows: rows))
    }

    /// Sets one `metrics.csv` value.
    func setMetric(_ name: String, _ value: String) throws {
        try editCSV("metrics.csv") { _, row, _ in row[0] == name ? [row[0], value] : row }
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Grades a folder with the shipped rubric, as an instructor (hidden checks included).
func grade(_ folder: SubmissionFolder, audience: Audience = .instructor) async -> GradeReport {
    let grader = Route019Grader(reference: sharedReference, rubric: sharedRubric, audience: audience, belayVersion: "test")
    return await grader.grade(submissionAt: folder.url, name: "student")
}

extension GradeReport {
    func result(_ id: String) -> CheckResult? { results.first { $0.id == id } }
    var failedIDs: Set<String> { Set(results.filter { $0.outcome == .failed || $0.outcome == .error }.map(\.id)) }
    var skippedIDs: Set<String> { Set(results.filter { $0.outcome == .skipped && !$0.isNotApplicable }.map(\.id)) }
}

/// A minimal nbformat-4 notebook: code cells (source, execution count, stdout, optional error) and markdown cells.
struct NotebookBuilder {
    enum Cell {
        case code(String, count: Int?, stdout: String = "", error: (String, String)? = nil)
        case markdown(String)
    }
    var cells: [Cell]

    func json() throws -> String {
        let encoded: [[String: Any]] = cells.map { cell in
            switch cell {
            case .markdown(let text):
                return ["cell_type": "markdown", "metadata": [String: Any](), "source": text]
            case .code(let source, let count, let stdout, let error):
                var outputs: [[String: Any]] = []
                if !stdout.isEmpty { outputs.append(["output_type": "stream", "name": "stdout", "text": stdout]) }
                if let error {
                    outputs.append([
                        "output_type": "error", "ename": error.0, "evalue": error.1, "traceback": [String](),
                    ])
                }
                return [
                    "cell_type": "code", "metadata": [String: Any](), "source": source,
                    "execution_count": count.map { $0 as Any } ?? NSNull(), "outputs": outputs,
                ]
            }
        }
        let notebook: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5, "metadata": ["kernelspec": ["language": "python", "name": "python3"]],
            "cells": encoded,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A notebook that ran cleanly and printed the reference's figures, with the reflection in markdown cells.
    static func clean(reflection: String) -> NotebookBuilder {
        let f = sharedReference.figures
        let printed = String(
            format: "Leakage accuracy: %.3f\nRandom split accuracy: %.3f\nClustered split accuracy: %.3f\n",
            f.leakage.accuracy, f.randomSplit.accuracy, f.clusteredSplit.accuracy)
        var cells: [Cell] = [
            .code("import pandas as pd", count: 1),
            .code("df = pd.read_excel('mtb_with_localization.xlsx')", count: 2, stdout: "UserWarning: openpyxl default style\n"),
            .code("print(results)", count: 3, stdout: printed),
        ]
        for (q, text) in Route019Submission.reflectionAnswers(markdown: reflection).sorted(by: { $0.key < $1.key }) {
            cells.append(.markdown("## Q\(q)\n\(text)"))
        }
        return NotebookBuilder(cells: cells)
    }
}
