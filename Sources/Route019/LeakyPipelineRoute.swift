public import BelayData
public import BelayGrading
public import BelayRoute
public import Foundation
import BelayLab

/// Route 019, "The Leaky Pipeline", as the plug-in `belay` is given through its registry.
///
/// Params: the rubric's `seed` and `test_fraction`; `belay reference --param` (or its legacy flags) also takes
/// `threshold` (a cosine strictly between -1 and 1; default: the dataset's recommendation, else 0.8),
/// `split_mode` (`proteins` or `clusters`) and `repeats` (seeds of the repeated random-versus-clustered comparison);
/// `belay data info` takes `thresholds` (the cluster statistics it lists).
public struct LeakyPipelineRoute: Route {
    /// The route.
    public init() {}

    public var id: String { "019-leaky-pipeline" }
    public var title: String { "The Leaky Pipeline" }

    /// A file of the CSV contract, or a notebook. A Swift package is recognized by its exercise protocol
    /// (``recognizes(submissionAt:fileNames:)``), never by its `Package.swift`, which every route's packages have; a
    /// zipped package, whose sources are not read to choose a route, falls to the default route, this one.
    public func recognizes(fileNames: Set<String>) -> Bool {
        let contract: Set<String> = ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv"]
        // A notebook alone is a notebook submission (Belay runs it). Beside CSV files the CSVs' names decide: another
        // route's students hand in their notebook too, and must not be taken for this route's.
        return !fileNames.isDisjoint(with: contract)
            || (fileNames.contains { $0.hasSuffix(".ipynb") } && !fileNames.contains { $0.hasSuffix(".csv") })
    }

    public func defaultRubricURL() throws -> URL { try Route019Grader.defaultRubricURL() }

    public var rubricParameters: [ParameterRule] { Route019Grader.routeParameters }
    public var checkParameters: [ParameterRule] { Route019Grader.checkParameters }
    public var referenceParameters: [ParameterRule] {
        [
            ParameterRule(
                "threshold", .number(-1...1),
                help: "cosine similarity threshold, strictly between -1 and 1; pairs strictly above it are linked (default: the dataset's recommendation, else 0.8)"),
            ParameterRule(
                "split_mode", .string,
                help: "how the clustered split picks clusters: 'proteins' (whole clusters until the test set holds about the fraction of proteins; default) or 'clusters' (the fraction of cluster ids, as the course's notebook does)"),
            ParameterRule(
                "repeats", .wholeNumber(0...1000),
                help: "seeds (1...N) over which `belay reference` repeats the random-versus-clustered comparison; 0 skips it (default 20)"),
            ParameterRule(
                "thresholds", .numbers(-1...1),
                help: "thresholds `belay data info` lists cluster statistics for (default 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)"),
        ]
    }

    public func validateChecks(_ rubric: Rubric) throws { try Route019Checks.engine.validate(rubric) }

    public func reference(_ parameters: RouteParameters, dataset: CourseDataset) throws -> any RouteReference {
        let reference = Route019Reference(dataset: dataset, options: try Self.options(parameters))
        if let problem = reference.labelReference.integrityProblem {
            throw ReferenceError(path: dataset.sheetPath, problem: problem)
        }
        return LeakyPipelineReference(
            reference: reference, rubric: parameters.rubric, repeats: try parameters.int("repeats", default: 20))
    }

    public func describe(_ dataset: CourseDataset, parameters: RouteParameters) throws -> String {
        let thresholds = try parameters.numbers("thresholds", default: [0.6, 0.7, 0.8, 0.85, 0.9, 0.95]).map(Float.init)
        return Route019Reference(dataset: dataset, options: try Self.options(parameters)).datasetReport(thresholds: thresholds)
    }

    /// The reference run's settings from the rubric's params and the command line's overrides.
    /// - Throws: ``RubricError`` for a threshold of ±1 or an unknown split mode (ranges and types are checked
    ///   before, by ``ParameterRule``).
    static func options(_ parameters: RouteParameters) throws -> ReferenceOptions {
        // Whole seeds up to 2^53 and fractions strictly between 0 and 1: validated with the rubric.
        let seed = UInt64(try parameters.int("seed", default: 42))
        let fraction = try parameters.number("test_fraction", default: 0.2)
        var threshold: Float?
        if parameters.value("threshold") != nil {
            let value = try parameters.number("threshold", default: 0.8)
            guard value > -1 && value < 1 else {
                throw RubricError(
                    file: "--param", line: 0,
                    message: "param 'threshold' must be a cosine strictly between -1 and 1, not \(value)")
            }
            threshold = Float(value)
        }
        let mode: ClusteredSplitMode
        switch try parameters.string("split_mode", default: "proteins") {
        case "proteins": mode = .proteinFraction
        case "clusters": mode = .clusterFraction
        case let other:
            throw RubricError(
                file: "--param", line: 0, message: "param 'split_mode' must be 'proteins' or 'clusters', not '\(other)'")
        }
        return ReferenceOptions(threshold: threshold, testFraction: fraction, seed: seed, clusteredSplitMode: mode)
    }
}

/// Route 019's reference for one rubric and dataset.
struct LeakyPipelineReference: RouteReference {
    let reference: Route019Reference
    let rubric: Rubric
    /// Seeds (1...repeats) of the repeated comparison `belay reference` prints; 0 skips it.
    let repeats: Int

    var summary: String { reference.dataset.summary }
    var dataSHA256: String { reference.dataset.sha256 }

    func grader(_ options: GraderOptions) -> any SubmissionGrader {
        var grader = Route019Grader(
            reference: reference, rubric: rubric, audience: options.audience, belayVersion: options.belayVersion)
        grader.notebookRun = options.notebookRun
        grader.drawsFigures = options.drawsFigures
        reference.keep(in: options.resultStore)
        // What all students' figures share is reference work: done here, once, before the first student.
        if options.drawsFigures { Route019Figures.prepare(reference) }
        // So are the reruns Exercise 1 asks of every correct submission.
        RerunPrefetch.prepare(reference, rubric: rubric, audience: options.audience)
        return grader
    }

    func writeSubmission(to directory: URL) throws -> String {
        try reference.writeSubmission(to: directory)
        var text = reference.summaryTable()
        if repeats > 0 {
            text += "\n\n" + reference.repeatedSplits(seeds: 1...UInt64(repeats)).report()
        }
        text += "\n\nWrote \(reference.submissionFiles().map(\.name).joined(separator: ", ")) to \(directory.relativePath)"
        return text
    }
}

extension Route019Reference {
    /// What `belay data info` prints: the summary table, where the sheet's location column and Belay's cleaning
    /// disagree, cluster statistics at each of `thresholds`, and the repeated random-versus-clustered comparison.
    func datasetReport(thresholds: [Float]) -> String {
        var lines = [summaryTable()]
        // Every row where the sheet's location column and Belay's cleaning of the text disagree.
        let labels = labelReference
        if let problem = labels.integrityProblem {
            lines.append("\nBelay would refuse to grade against this dataset: \(problem)")
        }
        if labels.usesColumn {
            let disagreements = labels.disagreementLines()
            let cleaning = LabelReferenceSource.cleaningPhrase(dataset.locationSource)
            if disagreements.isEmpty {
                lines.append("\nThe sheet's location column and \(cleaning) agree on every row.")
            } else {
                lines.append(
                    "\n\(disagreements.count) row\(disagreements.count == 1 ? "" : "s") where the sheet's location column (the reference) and \(cleaning) disagree (a student matching either gets credit):")
                for line in disagreements { lines.append("  " + line) }
            }
            let outside = labels.outsideClasses
            if !outside.isEmpty {
                lines.append(
                    "\n\(outside.count) value\(outside.count == 1 ? "" : "s") of the location column outside \(labels.classes.joined(separator: ", ")) (those proteins are dropped):")
                for p in outside { lines.append("  row \(p.row) `\(p.id)`: `\(p.column ?? "")`") }
            }
        }
        lines.append("\nConnected components of the \(alignedIDs.count) aligned labelled proteins:")
        lines.append("threshold  clusters  largest  largest share  singletons")
        for t in thresholds {
            let s = clustering(at: t).stats
            lines.append(
                String(
                    format: "%9.3f  %8d  %7d  %12.1f%%  %10d", Double(t), s.count, s.largest, s.largestShare * 100,
                    s.singletons))
        }
        if let t = dataset.recommendedThreshold {
            lines.append("\nThe dataset recommends a threshold of \(t)." + (dataset.thresholdReason.map { " \($0)" } ?? ""))
        }
        // One split is not evidence: the reference's random-versus-clustered comparison over seeds 1...20.
        lines.append("\n" + repeatedSplits().report())
        return lines.joined(separator: "\n")
    }
}
