import BelayGrading

// MARK: - Step 3: the curve

extension Route020Checks {
    /// The feature set `setup.csv` declares, or the problem.
    static func declaredFeatures(_ submission: Route020Submission) -> Result<FeatureSet, FileProblem> {
        let file = Route020Submission.FileName.setup
        guard let setup = submission.setup.value else {
            return .failure(submission.setup.problem ?? FileProblem(location: file, message: "is missing"))
        }
        guard let entry = setup.settings["features"] else {
            return .failure(
                FileProblem(
                    location: file, message: "has no `features` setting",
                    fix: "Add a row `features,hand-made` or `features,embeddings`, whichever you trained on."))
        }
        guard let set = FeatureSet.named(entry.value) else {
            return .failure(
                FileProblem(
                    location: "\(file) line \(entry.line)",
                    message: "`features` is `\(entry.value)`, which names neither feature set",
                    fix: "Write `hand-made` (length + 20 amino-acid counts) or `embeddings`."))
        }
        return .success(set)
    }

    static let curveChecks: [String: CheckImplementation<Route020Context>] = [
        "setup.readable": { context, _ in
            switch declaredFeatures(context.submission) {
            case .failure(let problem): return unusable(problem)
            case .success(let set):
                let classifier = context.submission.setup.value?.settings["classifier"]?.value ?? ""
                return .pass(
                    "\(context.words.setup) declares \(set.phrase)" + (classifier.isEmpty ? "" : " and the classifier `\(classifier)`"))
            }
        },

        "curve.readable": { context, _ in
            let file = Route020Submission.FileName.curve
            guard let curve = context.submission.curve.value else {
                return unusable(context.submission.curve.problem ?? FileProblem(location: file, message: "is missing"))
            }
            var problems: [String] = []
            if curve.badRowCount > 0 {
                problems.append(rowLines(curve.badRows, total: curve.badRowCount, file: file))
            }
            let grid = Route020Submission.rateGrid
            var found = 0
            for rate in grid {
                let rows = curve.points.filter { abs($0.rate - rate) < 1e-6 }
                if rows.isEmpty {
                    problems.append("no accuracy at \(Route020Text.percent(rate))")
                } else if rows.count > 1 {
                    problems.append(
                        "\(rows.count) accuracies at \(Route020Text.percent(rate)) (\(context.words.row)s "
                            + rows.map { String($0.line) }.joined(separator: ", ") + ")")
                } else {
                    found += 1
                }
            }
            if problems.isEmpty {
                return .pass("\(context.words.curve) gives one test accuracy at each of the \(grid.count) noise rates")
            }
            return .partial(
                Double(found) / Double(grid.count) * (curve.badRowCount == 0 ? 1 : 0.5),
                "\(context.words.curve) gives a usable accuracy at \(found) of \(grid.count) noise rates",
                details: problems.joined(separator: "\n"),
                hint: "Write one row `noise_rate,accuracy` per rate 0, 0.05, … 0.45, the accuracy a share from 0 to 1.")
        },

        "curve.rerun": { context, spec in
            let z = try spec.number("z", default: 4)
            let features: FeatureSet
            switch declaredFeatures(context.submission) {
            case .failure(let problem): return unusable(problem)
            case .success(let set): features = set
            }
            guard let curve = context.submission.curve.value else { return .error("no curve") }
            let e = context.experiment
            let reference = context.reference
            var judgements: [CurveJudgement] = []
            var notes: [String] = []
            for rate in Route020Submission.rateGrid {
                let points = curve.points.filter { abs($0.rate - rate) < 1e-6 }
                guard points.count == 1, let point = points.first else { continue }
                guard let labels = e.labels(at: rate) else {
                    notes.append("\(Route020Text.percent(rate)): no labels in \(context.words.noisyLabels) to retrain on")
                    continue
                }
                // Rows whose training label is missing or no class are left out of the rerun.
                var rows: [Int] = [], codes: [Int] = [], flags: [Bool] = []
                for (i, row) in e.rows.enumerated() {
                    if e.isTest[i] {
                        rows.append(row)
                        codes.append(reference.codes[row])
                        flags.append(true)
                    } else if let code = labels.codes[i] {
                        rows.append(row)
                        codes.append(code)
                        flags.append(false)
                    }
                }
                try Task.checkCancellation()
                let rerun = reference.rerun(set: features, rows: rows, trainCodes: codes, isTest: flags)
                if rerun.skipped > 0 {
                    notes.append("\(Route020Text.percent(rate)): \(rerun.skipped) proteins without an embedding left out")
                }
                judgements.append(CurveJudgement(rate: rate, reported: point.accuracy, rerun: rerun, z: z))
            }
            guard !judgements.isEmpty else {
                return .fail(
                    "no point of \(context.words.curve) could be rerun",
                    details: notes.joined(separator: "\n"),
                    hint: "\(context.words.curve) and \(context.words.noisyLabels) must share the rates 0, 0.05, … 0.45.")
            }
            let n = judgements[0].rerun.testCount
            let bound = "Bound: each point must be at most the highest Wilson upper bound (\(Route020Text.number(z)) "
                + "standard errors, n = \(n) test proteins) of Belay's models retrained on your labels and split with "
                + "\(features.phrase). Lower points pass: your classifier may take noise worse than Belay's."
            var lines = judgements.map { j in
                j.summary + (!j.holds ? "  <- above" : j.isBelow ? "  (below every model of Belay's)" : "")
            }
            lines += notes + [bound]
            let below = judgements.filter(\.isBelow)
            if !below.isEmpty {
                lines.append(
                    "Below every model of Belay's at \(below.map { Route020Text.percent($0.rate) }.joined(separator: ", ")): "
                        + "fine for a weak classifier, but check that you scored against the clean test labels.")
            }
            let off = judgements.filter { !$0.holds }
            if off.isEmpty {
                return .pass(
                    "all \(judgements.count) points are consistent with Belay's retraining on your noisy labels",
                    details: lines.joined(separator: "\n"))
            }
            return .partial(
                Double(judgements.count - off.count) / Double(Route020Submission.rateGrid.count),
                "\(Route020Text.plural(off.count, "point")) of the curve lie above what Belay's models reach on your labels "
                    + "(at \(off.map { Route020Text.percent($0.rate) }.joined(separator: ", ")))",
                details: lines.joined(separator: "\n"),
                hint: "Train each model on that rate's training labels from \(context.words.noisyLabels) and score it on the test "
                    + "proteins of \(context.words.split) with their clean labels, not on the training proteins.")
        },
    ]
}
