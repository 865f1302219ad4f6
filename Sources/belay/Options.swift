import ArgumentParser
import BelayData
import BelayLab
import Foundation
import Route019

/// Exit codes, as documented in `belay --help`.
enum Exit {
    static let checksFailed = ExitCode(1)
    static let usage = ExitCode(64)
    static let internalError = ExitCode(70)
}

/// Options every command that reads a dataset shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Dataset folder holding the course's sheet (.xlsx, or UniProt's .tsv / a .csv) and embeddings (.h5 or .h5.gz). Default: the embedded H37Rv data.")
    var data: String?

    @Option(name: .long, help: "Sheet to read from the workbook, by name or 1-based index (default: the first).")
    var sheet: String?

    /// Loads the dataset, printing a clear message when it cannot: exit 64 for `--data` (missing folder, unreadable
    /// files, ids that do not line up, NaN or width-0 vectors: the user's input), 70 for the embedded data.
    func load() throws -> CourseDataset {
        do {
            if let data { return try CourseDataset.load(directory: URL(fileURLWithPath: data), sheetName: sheet) }
            return try CourseDataset.embeddedDefault()
        } catch {
            printError("cannot load the dataset: \(error)")
            throw data == nil ? Exit.internalError : Exit.usage
        }
    }
}

/// Options of the route's reference run.
struct RouteOptions: ParsableArguments {
    @Option(name: .long, help: "Cosine similarity threshold (pairs strictly above it are linked). Default: the dataset's recommendation, else 0.8.")
    var threshold: Float?

    @Option(name: .customLong("test-fraction"), help: "Share of proteins in the test set.")
    var testFraction: Double = 0.2

    @Option(name: .long, help: "Seed of the splits.")
    var seed: UInt64 = 42

    @Option(name: .customLong("split-mode"), help: "How the clustered split picks clusters: 'proteins' (whole clusters until the test set holds about the fraction of proteins) or 'clusters' (the fraction of cluster ids, as the course's notebook does).")
    var splitMode: SplitModeArgument = .proteins

    func validate() throws {
        if let threshold, !(threshold > -1 && threshold < 1) {
            throw ValidationError("--threshold must be a cosine between -1 and 1, got \(threshold)")
        }
        guard testFraction > 0 && testFraction < 1 else {
            throw ValidationError("--test-fraction must be between 0 and 1, got \(testFraction)")
        }
    }

    var referenceOptions: ReferenceOptions {
        ReferenceOptions(
            threshold: threshold, testFraction: testFraction, seed: seed,
            clusteredSplitMode: splitMode == .proteins ? .proteinFraction : .clusterFraction)
    }
}

enum SplitModeArgument: String, CaseIterable, ExpressibleByArgument {
    case proteins, clusters
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("belay: " + message + "\n").utf8))
}

/// Options every grading command shares: which rubric, and whether reports must be byte-reproducible.
struct GradingOptions: ParsableArguments {
    @Option(name: .long, help: "Rubric file (default: the route's own).")
    var rubric: String?

    @Flag(name: .long, help: "Byte-identical reports for identical input: no timestamps, durations written as zero.")
    var reproducible = false

    @Option(name: .long, help: "Python that runs handed-in notebooks (needs nbclient and ipykernel). Default: python3 on PATH.")
    var python: String?

    @Flag(name: .customLong("no-run-notebooks"), help: "Grade notebooks from the outputs saved in them instead of running them.")
    var noRunNotebooks = false
}

/// The route's reference run on `dataset`, or a usage error (exit 64) when the dataset's labels cannot serve as a
/// reference: Belay never grades against a wrong one.
func makeReference(_ dataset: CourseDataset, options: ReferenceOptions = .init()) throws -> Route019Reference {
    let reference = Route019Reference(dataset: dataset, options: options)
    if let problem = reference.labelReference.integrityProblem {
        printError("cannot use \(dataset.sheetPath) as a reference: \(problem)")
        throw Exit.usage
    }
    return reference
}
