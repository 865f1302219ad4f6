import BelayGrading

// MARK: - Step 2: the noisy training labels

extension Route020Checks {
    static let labelsFile = Route020Submission.FileName.noisyLabels

    /// The grid rates missing from noisy_labels.csv, as "5%, 10%".
    static func missingRates(_ e: StudentExperiment) -> [Double] {
        Route020Submission.rateGrid.filter { e.labels(at: $0) == nil }
    }

    static let labelChecks: [String: CheckImplementation<Route020Context>] = [
        "labels.readable": { context, _ in
            guard let file = context.submission.noisyLabels.value else {
                return unusable(
                    context.submission.noisyLabels.problem ?? FileProblem(location: labelsFile, message: "is missing"))
            }
            guard file.badRowCount == 0 else {
                return .fail(
                    "\(Route020Text.plural(file.badRowCount, "row")) of \(labelsFile) cannot be read",
                    details: rowLines(file.badRows, total: file.badRowCount, file: labelsFile),
                    hint: "Each row is `noise_rate,protein_id,label`: a rate such as 0.05, an id of split.csv and a class name.")
            }
            let percent = file.ratesInPercent ? " (rates written as percentages, read as shares)" : ""
            return .pass("\(labelsFile) gives labels at \(Route020Text.plural(file.rates.count, "noise rate"))\(percent)")
        },

        "labels.complete": { context, _ in
            let e = context.experiment
            let grid = Route020Submission.rateGrid
            var problems: [String] = []
            let missing = missingRates(e)
            if !missing.isEmpty {
                problems.append("no labels at \(missing.map(Route020Text.percent).joined(separator: ", "))")
            }
            var complete = 0
            for r in e.rates {
                var issues: [String] = []
                let absent = r.lines.filter { $0 == 0 }.count
                if absent > 0 {
                    let ids = zip(e.rows, r.lines).filter { $0.1 == 0 }.prefix(5).map { "`\(context.reference.ids[$0.0])`" }
                    issues.append("\(Route020Text.plural(absent, "protein")) of \(context.words.split) have no label (\(ids.joined(separator: ", "))…)")
                }
                if r.nonClassCount > 0 {
                    let shown = r.nonClass.prefix(5).map { "`\($0.label)` for `\($0.id)` (\(context.words.row) \($0.line))" }
                    issues.append(
                        "\(Route020Text.plural(r.nonClassCount, "label")) are not one of "
                            + "\(context.reference.classes.joined(separator: ", ")): \(shown.joined(separator: ", "))")
                }
                if r.extraCount > 0 {
                    issues.append(
                        "\(Route020Text.plural(r.extraCount, "id")) are not in \(context.words.split): "
                            + Route020Text.listSome(r.extra.map { "`\($0)`" }))
                }
                if !r.duplicates.isEmpty {
                    issues.append(
                        "ids labelled twice: " + Route020Text.listSome(r.duplicates.map { "`\($0.id)` (\(context.words.row) \($0.line))" }))
                }
                if issues.isEmpty { complete += 1 } else {
                    problems.append("at \(Route020Text.percent(r.rate)): " + issues.joined(separator: "; "))
                }
            }
            var notes: [String] = []
            if !e.offGridRates.isEmpty {
                notes.append(
                    "Rates outside 0%, 5%, … 45% were not graded: "
                        + e.offGridRates.map { Route020Text.fixed3($0) }.joined(separator: ", "))
            }
            if problems.isEmpty {
                return .pass(
                    "every protein of \(context.words.split) has one label at each of the \(grid.count) noise rates",
                    details: notes.joined(separator: "\n"))
            }
            return .partial(
                Double(complete) / Double(grid.count),
                "\(labelsFile) is complete at \(complete) of \(grid.count) noise rates",
                details: (problems + notes).joined(separator: "\n"),
                hint: "For each rate 0, 0.05, … 0.45 write one row per protein of \(context.words.split), training and test, with the "
                    + "label that experiment used (`cytoplasm`, `membrane` or `secreted`).")
        },

        "labels.test_untouched": { context, _ in
            let e = context.experiment
            let reference = context.reference
            guard !e.rates.isEmpty else { return .fail("\(labelsFile) has no labels at the noise rates 0%, 5%, … 45%") }
            var changed: [String] = []
            var count = 0, checked = 0
            for r in e.rates {
                for (i, row) in e.rows.enumerated() where e.isTest[i] {
                    guard let code = r.codes[i] else { continue }
                    checked += 1
                    if code != reference.codes[row] {
                        count += 1
                        if changed.count < 8 {
                            changed.append(
                                "at \(Route020Text.percent(r.rate)), `\(reference.ids[row])` (\(context.words.row) \(r.lines[i])): "
                                    + "`\(reference.classes[code])`, clean label `\(reference.labels[row])`")
                        }
                    }
                }
            }
            if checked == 0 {
                return .fail(
                    "\(labelsFile) gives no label for any test protein",
                    hint: "Write every protein of \(context.words.split) at every rate, test proteins with their clean labels, so "
                        + "that Belay can see the test labels were left alone.")
            }
            if count == 0 {
                return .pass("all \(checked) test labels (over \(Route020Text.plural(e.rates.count, "rate"))) are the clean ones")
            }
            return .fail(
                "\(Route020Text.plural(count, "test label")) differ from the clean labels",
                details: changed.joined(separator: "\n") + (count > changed.count ? "\n… and \(count - changed.count) more" : ""),
                hint: "Corrupt only the training labels: split first, then flip labels of training proteins, and score "
                    + "every model against the untouched test labels.")
        },

        "labels.clean_at_zero": { context, _ in
            let e = context.experiment
            let reference = context.reference
            guard let zero = e.labels(at: 0) else {
                return .fail(
                    "\(labelsFile) has no labels at noise rate 0",
                    hint: "The 0% model is the baseline: train it on the clean labels and write them with noise_rate 0.")
            }
            var changed: [String] = []
            var count = 0
            for (i, row) in e.rows.enumerated() where !e.isTest[i] {
                guard let code = zero.codes[i], code != reference.codes[row] else { continue }
                count += 1
                if changed.count < 5 { changed.append("`\(reference.ids[row])` (\(context.words.row) \(zero.lines[i]))") }
            }
            if count == 0 { return .pass("at noise rate 0 every training label is the clean one") }
            return .fail(
                "at noise rate 0, \(Route020Text.plural(count, "training label")) differ from the clean labels: "
                    + changed.joined(separator: ", "),
                hint: "At 0% nothing is flipped: use the sheet's `location` column as it is.")
        },

        "labels.flip_rates": { context, spec in
            let z = try spec.number("z", default: 4)
            let e = context.experiment
            let reference = context.reference
            let graded = Route020Submission.rateGrid.filter { $0 > 0 }
            var lines: [String] = []
            var held = 0
            var off: [String] = []
            for rate in graded {
                guard let r = e.labels(at: rate) else {
                    lines.append("\(Route020Text.percent(rate)): no labels")
                    off.append(Route020Text.percent(rate))
                    continue
                }
                var n = 0, flips = 0
                for (i, row) in e.rows.enumerated() where !e.isTest[i] {
                    guard let code = r.codes[i] else { continue }
                    n += 1
                    if code != reference.codes[row] { flips += 1 }
                }
                let bound = FlipRateBound(
                    rate: rate, trainCount: n, flips: flips, z: z, rounding: Double(reference.classes.count))
                lines.append(bound.summary + (bound.holds ? "" : "  <- outside"))
                if bound.holds && n > 0 { held += 1 } else { off.append(Route020Text.percent(rate)) }
            }
            lines.append(
                "Bound: |flips − r·n| ≤ \(Route020Text.number(z))·√(n·r·(1−r)) + \(reference.classes.count), n = your "
                    + "training labels at that rate (binomial spread of flipping each label with probability r, plus "
                    + "rounding per class).")
            if off.isEmpty {
                return .pass("the realised flip rates match the declared ones at all \(graded.count) rates", details: lines.joined(separator: "\n"))
            }
            return .partial(
                Double(held) / Double(graded.count),
                "the realised flip rate is off at \(off.joined(separator: ", "))",
                details: lines.joined(separator: "\n"),
                hint: "At rate r flip r of the training labels (or each with probability r), and always to a different "
                    + "class: drawing the new class from all three keeps a third of the 'flips' unchanged.")
        },

        "labels.flips_uniform": { context, spec in
            let z = try spec.number("z", default: 4)
            let e = context.experiment
            let reference = context.reference
            let k = reference.classes.count
            var lines: [String] = []
            var off: [String] = []
            var held = 0, graded = 0
            for r in e.rates where r.rate > 0 {
                graded += 1
                // counts[from][to] of flipped training labels.
                var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
                for (i, row) in e.rows.enumerated() where !e.isTest[i] {
                    guard let code = r.codes[i], code != reference.codes[row] else { continue }
                    counts[reference.codes[row]][code] += 1
                }
                var bad: [String] = []
                for from in 0..<k {
                    let m = counts[from].reduce(0, +)
                    guard m > 0 else { continue }
                    for to in 0..<k where to != from {
                        let bound = FlipTargetBound(
                            from: reference.classes[from], to: reference.classes[to], flipsFrom: m, count: counts[from][to],
                            classCount: k, z: z)
                        if !bound.holds {
                            bad.append(
                                "\(bound.from) → \(bound.to): \(bound.count) of \(m) flips, expected "
                                    + "\(Route020Text.fixed3(bound.expected)) ± \(Route020Text.fixed3(bound.allowance))")
                        }
                    }
                }
                if bad.isEmpty { held += 1 } else {
                    off.append(Route020Text.percent(r.rate))
                    lines.append("at \(Route020Text.percent(r.rate)): " + bad.joined(separator: "; "))
                }
            }
            guard graded > 0 else { return .fail("\(labelsFile) has no labels at a noise rate above 0") }
            lines.append(
                "Bound: out of m flips from a class, the count into each other class is Binomial(m, 1/\(k - 1)); "
                    + "|count − m/\(k - 1)| ≤ \(Route020Text.number(z))·sd + 1.")
            if off.isEmpty {
                return .pass(
                    "at every rate the flips spread evenly over the other classes", details: lines.joined(separator: "\n"))
            }
            return .partial(
                Double(held) / Double(graded),
                "the flips favour some classes at \(off.joined(separator: ", "))",
                details: lines.joined(separator: "\n"),
                hint: "Pick the new class uniformly among the classes other than the true one, e.g. "
                    + "`rng.choice([c for c in classes if c != y])`.")
        },
    ]
}
