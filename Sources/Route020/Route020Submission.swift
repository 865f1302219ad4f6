import Foundation

/// A student's mistake in a handed-in file: what is wrong, where, and how to fix it.
public struct FileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// "noisy_labels.csv line 14", or just the file name.
    public var location: String
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var fix: String?

    /// Creates a problem.
    public init(location: String, message: String, fix: String? = nil) {
        self.location = location
        self.message = message
        self.fix = fix
    }

    /// `location: message fix`.
    public var description: String { "\(location): \(message)" + (fix.map { " \($0)" } ?? "") }
}

/// One handed-in file: absent, present but unusable as a whole, or usable.
public enum SubmittedFile<Value: Sendable>: Sendable {
    /// Not handed in.
    case absent(FileProblem)
    /// Handed in but unusable (unreadable, a required column missing, too large).
    case invalid(FileProblem)
    /// Usable (row-level mistakes are kept in the value for the checks to report).
    case present(Value)

    /// The value, when usable.
    public var value: Value? {
        if case .present(let v) = self { return v }
        return nil
    }

    /// The problem, when not usable.
    public var problem: FileProblem? {
        switch self {
        case .absent(let p), .invalid(let p): return p
        case .present: return nil
        }
    }
}

/// A cell a check must report: its line (1 = header) and what is wrong with it.
public struct RowProblem: Sendable, Equatable {
    /// Physical line of the file.
    public var line: Int
    /// What is wrong.
    public var message: String
}

/// `split.csv`, parsed: one side per protein.
public struct SplitFile: Sendable {
    /// Rows in file order: id, `true` for test, line.
    public var rows: [(id: String, isTest: Bool, line: Int)]
    /// Rows whose side is neither train nor test (first ones), and how many in all.
    public var badRows: [RowProblem]
    public var badRowCount: Int
}

/// `noisy_labels.csv`, parsed: the label of every protein at every noise rate.
public struct NoisyLabelsFile: Sendable {
    /// One noise rate's labels.
    public struct Rate: Sendable {
        /// The rate as written (after a percent is read as a share).
        public var rate: Double
        /// Labels by protein id (normalized class names), with the line of each.
        public var labels: [String: (label: String, line: Int)]
        /// Ids given more than once at this rate (first ones).
        public var duplicates: [(id: String, line: Int)]
    }

    /// The rates in file order of first appearance.
    public var rates: [Rate]
    /// Rows that could not be read (a rate that is not a number, an empty id or label): first ones, and the count.
    public var badRows: [RowProblem]
    public var badRowCount: Int
    /// Whether the rates were written as percentages (5, 10, … 45) and read as shares.
    public var ratesInPercent: Bool
}

/// `curve.csv`, parsed: one accuracy per noise rate.
public struct CurveFile: Sendable {
    /// Rows in file order: rate, accuracy, line.
    public var points: [(rate: Double, accuracy: Double, line: Int)]
    /// Rows whose rate or accuracy is not a usable number (first ones), and the count.
    public var badRows: [RowProblem]
    public var badRowCount: Int
    /// Whether the rates were written as percentages and read as shares.
    public var ratesInPercent: Bool
}

/// `setup.csv`, parsed.
public struct SetupFile: Sendable {
    /// Settings by lower-cased name: value and line.
    public var settings: [String: (value: String, line: Int)]
}

/// The three reflection answers (nil where a heading is missing).
public struct ReflectionAnswers: Sendable, Equatable {
    /// Answers keyed by question number.
    public var answers: [Int: String]
    /// Where they came from.
    public var source: String
}

/// Everything a student handed in for Route 020, in values.
public struct Route020Submission: Sendable {
    /// A name for reports.
    public var name: String
    /// How it was handed in, for the report (`csv`).
    public var kind: String
    public var split: SubmittedFile<SplitFile>
    public var noisyLabels: SubmittedFile<NoisyLabelsFile>
    public var curve: SubmittedFile<CurveFile>
    public var setup: SubmittedFile<SetupFile>
    public var reflection: SubmittedFile<ReflectionAnswers>
    /// SHA-256 of the handed-in files.
    public var sha256: String

    /// The file names of the contract.
    public enum FileName {
        public static let split = "split.csv"
        public static let noisyLabels = "noisy_labels.csv"
        public static let curve = "curve.csv"
        public static let setup = "setup.csv"
        public static let reflection = "reflection.md"
    }

    /// A submission none of whose files is usable, for one stated reason.
    public static func unusable(name: String, _ problem: FileProblem) -> Route020Submission {
        Route020Submission(
            name: name, kind: "unknown", split: .absent(problem), noisyLabels: .absent(problem),
            curve: .absent(problem), setup: .absent(problem), reflection: .absent(problem), sha256: "")
    }
}
