public import BelayGrading
import BelayData

/// The Route 020 checks, by rubric id. The rubric (`rubrics/020-good-models-from-bad-labels/rubric.yaml`) says
/// which run, in what order, for how many points, with which tolerances.
public enum Route020Checks {
    /// Every check implementation, keyed by its stable id.
    public static let all: [String: CheckImplementation<Route020Context>] = {
        var checks: [String: CheckImplementation<Route020Context>] = [:]
        for (id, check) in splitChecks { checks[id] = check }
        for (id, check) in labelChecks { checks[id] = check }
        for (id, check) in curveChecks { checks[id] = check }
        for (id, check) in reflectionChecks { checks[id] = check }
        return checks
    }()

    /// The engine for Route 020.
    public static var engine: Engine<Route020Context> { Engine(checks: all) }

    /// The verdict for a missing or unusable file.
    static func unusable(_ problem: FileProblem) -> Verdict {
        .fail("\(problem.location) \(problem.message)", details: problem.description, hint: problem.fix)
    }

    /// "line 4: …" lines for a report.
    static func rowLines(_ problems: [RowProblem], total: Int, file: String) -> String {
        var lines = problems.map { "\(file) line \($0.line): \($0.message)" }
        if total > problems.count { lines.append("… and \(total - problems.count) more") }
        return lines.joined(separator: "\n")
    }
}

// MARK: - Step 1: the split

extension Route020Checks {
    static let splitChecks: [String: CheckImplementation<Route020Context>] = [
        "split.readable": { context, _ in
            guard let split = context.submission.split.value else {
                return unusable(context.submission.split.problem ?? FileProblem(location: Route020Submission.FileName.split, message: "is missing"))
            }
            let test = split.rows.filter(\.isTest).count
            let message = "\(context.words.split) gives \(Route020Text.plural(split.rows.count, "protein")): "
                + "\(split.rows.count - test) train, \(test) test"
            guard split.badRowCount == 0 else {
                return .fail(
                    "\(Route020Text.plural(split.badRowCount, "row")) of \(context.words.split) cannot be read",
                    details: rowLines(split.badRows, total: split.badRowCount, file: context.words.split),
                    hint: "Each row is `protein_id,split` with split `train` or `test`.")
            }
            return .pass(message)
        },

        "split.partition": { context, spec in
            let e = context.experiment
            let minTest = try spec.int("min_test", default: 50)
            let minShare = try spec.number("min_test_share", default: 0.1)
            let maxShare = try spec.number("max_test_share", default: 0.5)
            let n = context.reference.ids.count
            var problems: [String] = []
            func ids(_ list: [(id: String, line: Int)]) -> String {
                Route020Text.listSome(list.map { "`\($0.id)` (\(context.words.row) \($0.line))" })
            }
            if !e.unknown.isEmpty {
                problems.append("\(Route020Text.plural(e.unknown.count, "id")) are not proteins of the course sheet: \(ids(e.unknown))")
            }
            if !e.uncleaned.isEmpty {
                problems.append(
                    "\(Route020Text.plural(e.uncleaned.count, "protein")) have no label in \(context.reference.labelReference.source.phrase) "
                        + "and belong in neither side: \(ids(e.uncleaned))")
            }
            if !e.duplicates.isEmpty {
                problems.append("\(Route020Text.plural(e.duplicates.count, "id")) appear more than once: \(ids(e.duplicates))")
            }
            if !e.missing.isEmpty {
                problems.append(
                    "\(Route020Text.plural(e.missing.count, "cleaned protein")) of \(n) are missing: "
                        + Route020Text.listSome(e.missing.map { "`\($0)`" }))
            }
            let test = e.isTest.filter { $0 }.count
            let share = e.rows.isEmpty ? 0 : Double(test) / Double(e.rows.count)
            let sizes = "\(e.rows.count - test) train, \(test) test (\(Route020Text.percent(share)) test)"
            if test < minTest || share < minShare - 1e-9 || share > maxShare + 1e-9 {
                problems.append(
                    "the test set holds \(test) proteins (\(Route020Text.percent(share))); the curve needs at least \(minTest) "
                        + "and a test share from \(Route020Text.percent(minShare)) to \(Route020Text.percent(maxShare))")
            }
            if problems.isEmpty {
                return .pass("\(context.words.split) puts each of the \(n) cleaned proteins on exactly one side: \(sizes)")
            }
            return .fail(
                "\(context.words.split) is not a partition of the \(n) cleaned proteins",
                details: problems.joined(separator: "\n"),
                hint: "Split exactly the proteins with a label in the sheet's `location` column (blank cells dropped), "
                    + "each once, e.g. with `train_test_split(ids, test_size=0.2, stratify=labels, random_state=seed)`.")
        },

        "split.random": { context, spec in
            let z = try spec.number("z", default: 4)
            let e = context.experiment
            let reference = context.reference
            let n = e.rows.count, test = e.isTest.filter { $0 }.count
            guard n > 1, test > 0 else { return .fail("the split has no test proteins") }
            var lines: [String] = []
            var off: [String] = []
            for (k, name) in reference.classes.enumerated() {
                let inClass = e.rows.filter { reference.codes[$0] == k }.count
                let inTest = zip(e.rows, e.isTest).filter { $0.1 && reference.codes[$0.0] == k }.count
                // Hypergeometric: `test` draws without replacement from n, of which `inClass` are of class k.
                let p = Double(inClass) / Double(n)
                let expected = Double(test) * p
                let sd = (Double(test) * p * (1 - p) * Double(n - test) / Double(n - 1)).squareRoot()
                let allowance = z * sd + 1
                lines.append(
                    "\(name): \(inTest) of \(test) test proteins; a random split gives \(Route020Text.fixed3(expected)) ± "
                        + "\(Route020Text.fixed3(allowance))")
                if abs(Double(inTest) - expected) > allowance + 1e-9 { off.append(name) }
            }
            let bound = "Bound: |count − expected| ≤ \(Route020Text.number(z))·sd + 1, sd of the hypergeometric count "
                + "for your \(test) test proteins out of \(n)."
            if off.isEmpty {
                return .pass("the test set's class mix is what a random split gives", details: (lines + [bound]).joined(separator: "\n"))
            }
            return .fail(
                "the test set's share of \(off.joined(separator: ", ")) is far from what a random split gives",
                details: (lines + [bound]).joined(separator: "\n"),
                hint: "Draw the test proteins at random (optionally stratified by class), not by position, class or name.")
        },
    ]
}
