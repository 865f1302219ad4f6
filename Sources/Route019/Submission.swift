public import Foundation

/// A student's mistake in a submitted file: what is wrong, where, and how to fix it.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// "features.csv line 14, column `K`", or just the file name.
    public var location: String
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var fix: String?

    public init(location: String, message: String, fix: String? = nil) {
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(location): \(message)" + (fix.map { " \($0)" } ?? "") }
}

/// One artefact of a submission: absent, present but unusable, or usable.
public enum Artefact<Value: Sendable>: Sendable {
    /// Not handed in.
    case absent(Problem)
    /// Handed in but unusable as a whole (unreadable, a required column missing).
    case invalid(Problem)
    /// Usable (it may still hold row-level mistakes the checks report).
    case present(Value)

    /// The value, when usable.
    public var value: Value? {
        if case .present(let v) = self { return v }
        return nil
    }

    /// The problem, when not usable.
    public var problem: Problem? {
        switch self {
        case .absent(let p), .invalid(let p): return p
        case .present: return nil
        }
    }
}

/// A row of `features.csv`.
public struct FeatureRow: Sendable, Equatable {
    public var id: String
    public var location: String
    /// `length` then the 20 counts in `AminoAcids.standard` order; `nil` where the cell is missing or not a count.
    public var values: [Int?]
    /// Physical line in the file (1 = header).
    public var line: Int
}

/// `features.csv`, parsed.
public struct FeatureTable: Sendable {
    public var rows: [FeatureRow]
    /// Feature columns the header lacks (of `length`, A … Y).
    public var missingColumns: [String]
    /// Cells that are not non-negative integers (first ones, with their place).
    public var cellProblems: [Problem]
    /// How many cells are bad in all.
    public var badCellCount: Int
    /// Header columns that are neither an id, a label nor a feature.
    public var extraColumns: [String]
}

/// `label_encoding.csv`, parsed.
public struct EncodingTable: Sendable {
    public var pairs: [(location: String, code: String, line: Int)]
}

/// `clusters.csv`, parsed.
public struct ClusterTable: Sendable {
    public var rows: [(id: String, cluster: String, line: Int)]
}

/// `splits.csv`, parsed.
public struct SplitTable: Sendable {
    public var rows: [(id: String, random: String, clustered: String, line: Int)]
}

/// `metrics.csv`, parsed: names lower-cased and trimmed.
public struct MetricTable: Sendable {
    public var values: [String: (text: String, line: Int)]

    /// The number for `name`, or a problem saying why there is none.
    public func number(_ name: String, file: String = "metrics.csv") -> Result<Double, ProblemError> {
        guard let entry = values[name] else {
            return .failure(
                ProblemError(
                    Problem(
                        location: file, message: "has no row named `\(name)`",
                        fix: "Add a row `\(name),<value>` (names: \(Route019Submission.requiredMetrics.joined(separator: ", ")))."
                    )))
        }
        var text = entry.text.trimmingCharacters(in: .whitespaces)
        var percent = false
        if text.hasSuffix("%") {
            percent = true
            text.removeLast()
        }
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            return .failure(
                ProblemError(
                    Problem(
                        location: "\(file) line \(entry.line)",
                        message: "`\(name)` is `\(entry.text)`, not a finite number",
                        fix: "Write the value as a plain decimal number such as 0.734 (NaN usually means an empty test set or a division by zero)."
                    )))
        }
        return .success(percent ? v / 100 : v)
    }
}

/// A `Problem` as an `Error`, for `Result`.
public struct ProblemError: Error, Sendable, CustomStringConvertible {
    public var problem: Problem
    public init(_ problem: Problem) { self.problem = problem }
    public var description: String { problem.description }
}

/// The four reflection answers (nil where a heading is missing).
public struct Reflection: Sendable, Equatable {
    /// Answers to Q1 … Q4, keyed 1…4.
    public var answers: [Int: String]
    /// Where they came from ("reflection.md", "analysis.ipynb cell 12").
    public var source: String
}

/// A Jupyter notebook's provenance facts, when one is handed in.
public struct NotebookFacts: Sendable {
    public var fileName: String
    /// Execution counts of code cells with code in them, in cell order (`nil` = never run).
    public var executionCounts: [(cell: Int, count: Int?)]
    /// Cells whose outputs include an error: cell index, ename, evalue.
    public var errors: [(cell: Int, name: String, value: String)]
    /// Text printed by code cells (streams to stdout and results), per cell.
    public var printed: [(cell: Int, text: String)]
}

/// Everything a student handed in for Route 019, in values: the CSV route and the Swift route both produce this.
public struct Route019Submission: Sendable {
    /// A name for reports (folder name or student id).
    public var name: String
    /// Where the submission's files are (nil for a Swift module's results).
    public var directory: URL?
    /// How it was handed in, for the report.
    public var kind: String

    public var features: Artefact<FeatureTable>
    public var encoding: Artefact<EncodingTable>
    public var clusters: Artefact<ClusterTable>
    public var splits: Artefact<SplitTable>
    public var metrics: Artefact<MetricTable>
    public var reflection: Artefact<Reflection>
    /// Present only when a notebook was handed in.
    public var notebook: NotebookFacts?
    /// SHA-256 of the handed-in files (``BelayRoute/SubmissionHash``), set by ``Route019Grader`` from the hash the
    /// pipeline computed; empty for a submission loaded directly.
    public var sha256: String
    /// What the sandbox could not enforce or otherwise wants recorded (Swift route only).
    public var sandboxNotes: String? = nil
    /// The Swift module's answers to crafted edge cases (Swift route only).
    public var swiftProbes: SwiftProbes? = nil
    /// How a handed-in notebook was run and where its work was found (notebook runs only).
    public var notebookFindings: NotebookFindings? = nil

    /// Metric names the contract requires.
    public static let requiredMetrics = [
        "leakage_accuracy", "random_split_accuracy", "clustered_split_accuracy", "similarity_threshold",
        "test_fraction",
    ]
}
