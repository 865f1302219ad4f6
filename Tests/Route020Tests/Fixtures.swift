import BelayData
import BelayFormats
import BelayGrading
import BelayTestSupport
import BelayRoute
import Foundation
import Route020

/// The real dataset's reference, computed once for the whole test process.
let sharedReference: Route020Reference = {
    do {
        return Route020Reference(dataset: try CourseDataset.embeddedDefault())
    } catch {
        preconditionFailure("the embedded dataset must load: \(error)")
    }
}()

/// The route's rubric as shipped.
let sharedRubric: Rubric = {
    do {
        return try Rubric.load(contentsOf: try Route020Grader.defaultRubricURL())
    } catch {
        preconditionFailure("the shipped rubric must load: \(error)")
    }
}()

/// The repository's root (for `solutions/` and `exercises/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The committed reference solution's folder.
let solutionDirectory = repositoryRoot.appendingPathComponent("solutions/020-good-models-from-bad-labels")

/// The contract's files, as the solution commits them.
let contractFiles = ["split.csv", "noisy_labels.csv", "curve.csv", "setup.csv", "reflection.md"]

/// A submission folder in a fresh temporary directory, as a student would hand it in.
struct SubmissionFolder {
    let url: URL

    /// A copy of the committed solution's files, ready to be broken.
    static func solution() throws -> SubmissionFolder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("belay-020-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for name in contractFiles {
            try FileManager.default.copyItem(
                at: solutionDirectory.appendingPathComponent(name), to: url.appendingPathComponent(name))
        }
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

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// A grader with the shipped rubric, as an instructor.
let sharedGrader: Route020Grader = {
    do {
        return try Route020Grader(reference: sharedReference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
    } catch {
        preconditionFailure("the shipped rubric must validate: \(error)")
    }
}()

/// Grades a folder with the shipped rubric.
func grade(_ folder: SubmissionFolder) async -> GradeReport {
    await sharedGrader.grade(submissionAt: folder.url, name: "student")
}

extension GradeReport {
    func result(_ id: String) -> CheckResult? { results.first { $0.id == id } }
    var failedIDs: Set<String> { Set(results.filter { $0.outcome == .failed || $0.outcome == .error }.map(\.id)) }
    var notPassedIDs: Set<String> { Set(results.filter { $0.outcome != .passed }.map(\.id)) }
}

/// The ids and sides of the solution's split, in file order.
func solutionSplit() throws -> [(id: String, isTest: Bool)] {
    let table = try CSVTable.read(contentsOf: solutionDirectory.appendingPathComponent("split.csv"))
    return table.rows.map { ($0[0], $0[1] == "test") }
}
