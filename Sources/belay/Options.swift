import ArgumentParser
import BelayData
import BelayLab
import Foundation
import BelayGrading
import BelayRoute

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

/// Which route a command works on.
struct RouteSelection: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The route (known: \(routes.knownIDs)). Default: the route the rubric names (its `route:` key), else the one whose files the submission holds, else \(routes.routes[0].id).",
        valueName: "id"))
    var route: String?

    /// The route `--route` names, else the one `rubric` names, else the one the `submissions` (folders or zips)
    /// belong to, else the first registered; exit 64 with the known ids when none fits or the submissions belong
    /// to several routes.
    func resolve(rubric: String?, submissions: [URL] = []) throws -> any Route {
        do {
            return try routes.resolve(id: route, rubric: rubric.map { URL(fileURLWithPath: $0) }, submissions: submissions)
        } catch let error as RubricError {
            printError("invalid rubric: \(error)")
            throw Exit.usage
        } catch {
            printError("\(error)")
            throw Exit.usage
        }
    }
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

    @Flag(name: .customLong("no-cache"), help: ArgumentHelp(
        "Rerun every model afresh: neither read nor keep reruns in Belay's result cache.",
        discussion: "The cache is $BELAY_CACHE_DIR, else $XDG_CACHE_HOME/belay, else ~/.cache/belay (BELAY_CACHE_DIR=off turns it off). A kept rerun is the same numbers as a fresh one; it saves the time of refitting a split Belay has seen."))
    var noCache = false

    /// The result store grading keeps reruns in, unless --no-cache.
    var resultStore: ResultStore? { noCache ? nil : ResultStore.standard(belayVersion: belayVersion) }
}
