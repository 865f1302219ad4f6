public import Foundation
public import BelayGrading
public import BelayRoute
import BelayFormats
import BelayData

/// Grades one Route 019 submission (a folder of CSV/Markdown/notebook files, or a Swift package) against a
/// reference computed once per batch. Never throws: a submission that cannot be read becomes a report of failing
/// and erroring checks.
public struct Route019Grader: SubmissionGrader {
    public let reference: Route019Reference
    public let rubric: Rubric
    public let audience: Audience
    /// Version string recorded in reports.
    public let belayVersion: String
    /// Grades Swift packages (or says why this machine cannot).
    public let swiftModules: Result<any SwiftModuleGrading, any Error>
    /// How handed-in notebooks are run (a notebook alone, or a folder with a notebook and no CSV files); nil to
    /// grade notebooks from the outputs saved in them.
    public var notebookRun: NotebookRunOptions?
    /// Whether reports carry figures of the student's work (``GradeReport/figures``, drawn by the HTML report). Their
    /// cost is mostly once per reference (see ``Route019Figures``), which a one-off `belay check` without an HTML
    /// report need not pay.
    public var drawsFigures = true

    public init(
        reference: Route019Reference, rubric: Rubric, audience: Audience, belayVersion: String,
        swiftModules: Result<any SwiftModuleGrading, any Error> = SwiftRoute.grading()
    ) {
        self.reference = reference
        self.rubric = rubric
        self.audience = audience
        self.belayVersion = belayVersion
        self.swiftModules = swiftModules
    }

    /// Where the route's default rubric ships (inside Belay's resources, a copy of `rubrics/019-leaky-pipeline`).
    public static func defaultRubricURL() throws -> URL {
        try ResourceLocator.shippedRubric(
            routeID: "019-leaky-pipeline", target: "Route019", environmentKey: "BELAY_RUBRIC",
            sourceDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent())
    }

    /// Whether `directory` holds a Swift package (the Swift route) rather than CSV files.
    public static func isSwiftPackage(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: Route019Submission.locateRoot(directory).appendingPathComponent("Package.swift").path)
    }

    public var routeID: String { rubric.route }
    public var routeTitle: String { rubric.title }

    /// Loads the submission in `directory` (CSV files, a notebook to run, or a Swift package) and grades it;
    /// `sha256` (the pipeline's ``SubmissionHash``) is recorded as `submission.sha256`.
    public func grade(submissionAt directory: URL, name: String, sha256: String) async -> GradeReport {
        var submission: Route019Submission
        if Self.isSwiftPackage(directory) {
            switch swiftModules {
            case .success(let swiftModules):
                do {
                    submission = try await swiftModules.submission(
                        packageAt: Route019Submission.locateRoot(directory), name: name, reference: reference)
                } catch {
                    return ungradable(name, "Belay could not grade this Swift package: \(error)")
                }
            case .failure(let error):
                return ungradable(name, "this machine cannot grade Swift packages: \(error)")
            }
        } else if let options = notebookRun, let notebook = Route019Submission.notebookToRun(directory) {
            submission = await Route019Submission.runningNotebook(at: notebook, name: name, reference: reference, options: options)
        } else if Route019Submission.notebookToRun(directory) == directory {
            submission = Route019Submission.loadSingleNotebook(directory, name: name)
        } else {
            submission = Route019Submission.load(directory: directory, name: name)
        }
        submission.sha256 = sha256
        return await grade(submission)
    }

    func ungradable(_ name: String, _ message: String) -> GradeReport {
        GradeReport.ungradable(
            submissionName: name, route: rubric.route, routeTitle: rubric.title, message: message, details: "",
            properties: [Property("belay.version", belayVersion), Property("rubric.sha256", rubric.sha256)])
    }

    /// Runs the rubric's checks on an already-loaded submission.
    public func grade(_ submission: Route019Submission) async -> GradeReport {
        let context = Route019Context(reference: reference, submission: submission)
        var properties: [Property] = [
            Property("belay.version", belayVersion),
            Property("route", rubric.route),
            Property("submission.kind", submission.kind),
            Property("submission.sha256", submission.sha256),
            Property("rubric.sha256", rubric.sha256),
            Property("data.name", reference.dataset.name),
            Property("data.sha256", reference.dataset.sha256),
            Property("seed", String(reference.options.seed)),
            Property("reference.threshold", Route019Reference.format(Double(reference.threshold))),
        ]
        if let limits = submission.sandboxNotes { properties.append(Property("sandbox.notes", limits)) }
        if let findings = submission.notebookFindings {
            properties.append(
                Property("notebook.found", findings.sources.map { "\($0.artefact) <- \($0.source)" }.joined(separator: "\n")))
            if let kept = findings.keptIn { properties.append(Property("notebook.executed", kept.path)) }
        }
        let prefetch = RerunPrefetch(context, rubric: rubric, audience: audience)
        // The checks word their messages with `context.names`; the rubric's titles get the same words.
        var report = await Route019Checks.engine.run(
            rubric: context.names.wording(rubric), context: context, audience: audience, submissionName: submission.name,
            properties: properties)
        await prefetch.finished()
        // Pictures of the student's own work for the HTML report (see Route019Figures.swift).
        if drawsFigures {
            let figures = Route019Figures.make(context)
            report.figures = figures.isEmpty ? nil : figures
        }
        if let findings = submission.notebookFindings { return Self.explainingNotebook(report, findings) }
        return report
    }

    /// The same report with, under each failing check about a figure the notebook search could not settle
    /// (`metrics.csv`'s rows), what was looked for.
    static func explainingNotebook(_ report: GradeReport, _ findings: NotebookFindings) -> GradeReport {
        var report = report
        let metricProblems = findings.problems.filter { $0.artefact.hasPrefix("metrics.csv:") }
        guard !metricProblems.isEmpty else { return report }
        report.results = report.results.map { result in
            var r = result
            guard r.outcome != .passed else { return r }
            for problem in metricProblems {
                let metric = String(problem.artefact.dropFirst("metrics.csv:".count))
                if r.message.contains(metric) || r.details.contains(metric) {
                    r.details += (r.details.isEmpty ? "" : "\n") + "In the notebook's kernel, \(metric) is \(problem.message)"
                }
            }
            return r
        }
        return report
    }
}

extension Route019Submission {
    /// A submission none of whose artefacts is usable, for one stated reason.
    public static func unusable(name: String, _ problem: Problem) -> Route019Submission {
        Route019Submission(
            name: name, directory: nil, kind: "unknown", features: .absent(problem), encoding: .absent(problem),
            clusters: .absent(problem), splits: .absent(problem), metrics: .absent(problem),
            reflection: .absent(problem), notebook: nil, sha256: "")
    }
}
