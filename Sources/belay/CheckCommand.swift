import ArgumentParser
import BelayData
import BelayBatch
import BelayGrading
import BelayReports
import BelayRoute
import Foundation

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check one submission (a folder, a .zip, or a Swift package) before handing it in.",
        discussion: """
            Runs every visible check of the rubric and prints a report grouped by exercise. Hidden checks are not
            run here; the summary says how many there are and how many points they hold.

            Examples:
              belay check my-submission/
              belay check my-submission.zip --junit report.xml
            """)

    @Argument(help: "The submission: a folder of CSV files (+ reflection.md or a notebook), a .zip of one, or a Swift package.")
    var submission: String

    @OptionGroup var routeSelection: RouteSelection
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var grading: GradingOptions

    @Option(name: .long, help: "Also write a JUnit XML report here.")
    var junit: String?

    @Option(name: .long, help: "Also write a machine-readable JSON report here.")
    var json: String?

    @Option(name: .long, help: "Also write a Gradescope results.json here.")
    var gradescope: String?

    @Option(name: .long, help: "Also write a self-contained HTML report (with figures of your work) here.")
    var html: String?

    @Option(name: .customLong("report"), help: ArgumentHelp(
        "Also write the report in FORMAT to PATH (repeatable). Formats: \(ReportFormat.all.map(\.name).joined(separator: ", ")).",
        valueName: "format=path"))
    var reports: [String] = []

    /// Every report to write: --report FORMAT=PATH, with --junit, --json, --gradescope and --html as short forms.
    func requestedReports() throws -> [(format: ReportFormat, path: String)] {
        let short: [(ReportFormat, String?)] = [(.junit, junit), (.json, json), (.gradescope, gradescope), (.html, html)]
        var requested = short.compactMap { format, path in path.map { (format, $0) } }
        for argument in reports {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, let format = ReportFormat.named(parts[0]) else {
                throw ValidationError(
                    "--report takes FORMAT=PATH with FORMAT one of \(ReportFormat.all.map(\.name).joined(separator: ", ")), not '\(argument)'")
            }
            requested.append((format, parts[1]))
        }
        return requested
    }

    func validate() throws { _ = try requestedReports() }

    @Flag(name: .long, help: "Run hidden checks too, as grading does (for instructors).")
    var instructor = false

    @Flag(name: .customLong("no-color"), help: "Never colour the terminal report.")
    var noColor = false

    func run() async throws {
        let url = URL(fileURLWithPath: submission)
        guard FileManager.default.fileExists(atPath: url.path) else {
            printError("no such submission: \(submission)")
            throw Exit.usage
        }
        let requested = try requestedReports()
        let name = url.deletingPathExtension().lastPathComponent
        // The same unpacking and hash as `belay grade`; unpacked first, so the files can choose the route.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("belay-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input: SubmissionInput
        do {
            input = try SubmissionInput.open(url, scratch: scratch)
        } catch {
            printError("cannot open \(submission): \(error)")
            throw Exit.checksFailed
        }
        let setup = try GradingSetup.make(
            route: routeSelection, dataOptions: dataOptions, rubricPath: grading.rubric, submissions: [input.root])
        print(setup.reference.summary + "\n")
        // Figures cost a pass over the student's data: only for a report that draws them.
        let grader = setup.grader(
            audience: instructor ? .instructor : .student, grading: grading,
            drawsFigures: requested.contains { $0.format.name == ReportFormat.html.name })
        let report = await grader.grade(submissionAt: input.root, name: name, sha256: input.sha256)
        let color = !noColor && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        print(TerminalReport.render(report, color: color), terminator: "")
        do {
            for (format, path) in requested {
                try write(format.render(report, ReportFormatOptions(reproducible: grading.reproducible)), to: path)
            }
        } catch {
            printError("cannot write a report: \(error)")
            throw Exit.internalError
        }
        // In GitHub Actions: an annotation per check that did not pass, and the report as the step's summary.
        let environment = ProcessInfo.processInfo.environment
        if environment["GITHUB_ACTIONS"] == "true" {
            for line in GitHubReport.annotations(report, submissionPath: submission) { print(line) }
            if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
                do {
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: summary))
                    defer { try? handle.close() }
                    try handle.seekToEnd()
                    try handle.write(contentsOf: Data(GitHubReport.stepSummary(report).utf8))
                } catch {
                    printError("cannot append to $GITHUB_STEP_SUMMARY (\(summary)): \(error)")
                }
            }
        }
        if !report.allPassed { throw Exit.checksFailed }
    }
}

func write(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try AtomicFile.write(text, to: url)
}
