import BelayGrading
import BelayLab
import BelayRoute

extension Route019Checks {
    static let exercise1: [String: CheckImplementation<Route019Context>] = [
        "ex1.encoding.bijective": { context, _ in
            let encoding: EncodingTable
            switch context.submission.encoding {
            case .present(let e): encoding = e
            case .absent(let p), .invalid(let p): return unusable(p)
            }
            var problems: [String] = []
            var codeOf: [String: Int] = [:]
            var classOf: [Int: String] = [:]
            for pair in encoding.pairs {
                let label = normalizedLabel(pair.location)
                guard let code = integerCode(pair.code) else {
                    problems.append("line \(pair.line): code `\(pair.code)` is not an integer")
                    continue
                }
                if label.isEmpty {
                    problems.append("line \(pair.line): empty location")
                    continue
                }
                if let other = codeOf[label], other != code {
                    problems.append("line \(pair.line): `\(pair.location)` has two codes, \(other) and \(code)")
                }
                if let other = classOf[code], other != label {
                    problems.append("line \(pair.line): code \(code) is used for both `\(other)` and `\(pair.location)`")
                }
                codeOf[label] = code
                classOf[code] = label
            }
            let used: Set<String> =
                context.submission.features.value.map { Set($0.rows.map { normalizedLabel($0.location) }.filter { !$0.isEmpty }) }
                ?? Set(context.reference.encoder.classes)
            let uncovered = used.subtracting(codeOf.keys).sorted()
            if !uncovered.isEmpty {
                problems.append("classes used in \(context.names.features) without a code: \(uncovered.joined(separator: ", "))")
            }
            if encoding.pairs.isEmpty { problems.append("\(context.names.labelEncoding) has no rows") }
            if problems.isEmpty {
                let shown = codeOf.sorted { $0.value < $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                return .pass("one code per class: \(shown)")
            }
            return .fail(
                "the label encoding is not one-to-one over the classes",
                details: problems.prefix(8).joined(separator: "\n"),
                hint: "Give each class exactly one integer code and each code exactly one class, e.g. with sklearn's LabelEncoder.")
        },

        "ex1.leakage.reported": { context, spec in
            let z = try spec.number("z", default: 3)
            let splitCount = try spec.int("baseline_splits", default: 3)
            guard z.isFinite, z >= 0, splitCount >= 1 else {
                return .error("rubric parameters: `z` must be a non-negative number and `baseline_splits` at least 1")
            }
            switch metric(context, "leakage_accuracy") {
            case .failure(let e): return unusable(e.problem)
            case .success(let a):
                guard (0...1).contains(a) else {
                    return .fail(
                        "leakage_accuracy is \(a), outside 0…1",
                        hint: "Write accuracy as a fraction of the test set (0.97), not a percentage or a count.")
                }
                let baseline = leakageBaseline(context, splits: splitCount)
                let bound = ConfidenceBounds.wilsonUpper(proportion: baseline.accuracy, count: baseline.testCount, z: z)
                let details = [
                    "You reported \(fixed3(a)). " + baseline.description,
                    "\(AccuracyJudgement.zText(z))-sigma Wilson upper bound of that baseline for n = \(baseline.testCount): \(fixed3(bound)). "
                        + "A leakage accuracy at or above it is suspiciously high: more than test-set noise or another classifier explains.",
                ].joined(separator: "\n")
                if a >= bound {
                    return .pass(
                        "leakage accuracy \(fixed3(a)) is far above the 21-feature baseline (\(fixed3(baseline.accuracy))): the leaked label gives the answer away, as expected",
                        details: details)
                }
                return .fail(
                    "leakage accuracy \(fixed3(a)) is not far above the 21-feature baseline (\(fixed3(baseline.accuracy)); upper bound \(fixed3(bound)))",
                    details: details + "\nWith the encoded label itself among the features, a classifier should be suspiciously accurate.",
                    hint:
                        "Check that the 22nd feature is the encoded label of the same row (not shuffled, not from another table) and that it is included when you train."
                )
            }
        },

        "ex1.leakage.confirmed": { context, spec in
            let z = try spec.number("z", default: 3)
            guard z.isFinite, z >= 0 else { return .error("rubric parameter `z` must be a non-negative number, not \(z)") }
            let retrain: LeakageRetrain
            switch leakageRetrain(context) {
            case .cannot(let verdict): return verdict
            case .retrained(let r): retrain = r
            }
            let (withLabel, without, fraction) = (retrain.withLabel, retrain.without, retrain.fraction)
            let bound = ConfidenceBounds.wilsonUpper(proportion: without.best.accuracy, count: without.testCount, z: z)
            let details = [
                "Belay retrained on your \(retrain.rows) rows, random \(percent(fraction)) test split (\(without.testCount) test rows), "
                    + "with the same models each time.",
                "21 features + your encoded label: best \(fixed3(withLabel.best.accuracy)) (\(withLabel.best.model.rawValue)); all: \(withLabel.summary).",
                "21 features alone: best \(fixed3(without.best.accuracy)) (\(without.best.model.rawValue)); "
                    + "\(AccuracyJudgement.zText(z))-sigma Wilson upper bound \(fixed3(bound)) for n = \(without.testCount).",
            ].joined(separator: "\n")
            if withLabel.best.accuracy >= bound {
                return .pass("retraining with your leaked label confirms an accuracy far above the 21-feature baseline", details: details)
            }
            return .fail(
                "retraining with your encoded label as a feature is not significantly more accurate than the 21 features alone",
                details: details,
                hint: "The label encoding and the features' location column should describe the same labels row by row.")
        },
    ]
}

/// Belay's retrain of a student's rows for ex1.leakage.confirmed: every model with and without the encoded label.
struct LeakageRetrain {
    /// A retrain, or the verdict saying why there is none.
    enum Outcome {
        case retrained(LeakageRetrain)
        case cannot(Verdict)
    }

    /// 21 features + the encoded label.
    var withLabel: Rerun
    /// 21 features alone, the same split.
    var without: Rerun
    /// Rows retrained.
    var rows: Int
    /// The split's test fraction.
    var fraction: Double
}

extension Route019Checks {
    /// Retrains the student's usable features.csv rows on a random split with the student's test fraction, with and
    /// without their encoded label as a 22nd feature (every model), or the verdict saying why it cannot.
    static func leakageRetrain(_ context: Route019Context) -> LeakageRetrain.Outcome {
        guard let table = context.submission.features.value else { return .cannot(.error("\(context.names.features) is not usable")) }
        guard let encoding = context.submission.encoding.value else {
            return .cannot(unusable(
                context.submission.encoding.problem ?? Problem(location: context.names.labelEncoding, message: "is missing")))
        }
        var codeOf: [String: Int] = [:]
        for pair in encoding.pairs {
            if let c = integerCode(pair.code) { codeOf[normalizedLabel(pair.location)] = c }
        }
        let rows = usableFeatureRows(context, table)
        var base: [Double] = []
        var leaked: [Double] = []
        var labels: [Int] = []
        for (r, label) in rows.labels.enumerated() {
            guard let code = codeOf[label] else { continue }
            let values = rows.values[(r * 21)..<((r + 1) * 21)]
            base.append(contentsOf: values)
            leaked.append(contentsOf: values)
            leaked.append(Double(code))
            labels.append(code)
        }
        let classes = Array(Set(labels)).sorted()
        guard labels.count >= 20, classes.count >= 2 else {
            return .cannot(.fail(
                "too few usable rows (\(labels.count)) to retrain the leaked model",
                hint: "Every row needs 21 whole-number features and a location that \(context.names.labelEncoding) codes."))
        }
        let dense = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
        let y = labels.map { dense[$0] ?? 0 }
        let fraction = studentTestFraction(context)
        let isTest = randomSplit(count: y.count, testFraction: fraction, seed: context.reference.options.seed)
        let reference = context.reference
        // The class of each dense code, so that the reruns can start from the reference's models.
        var nameOf: [Int: String] = [:]
        for (name, code) in codeOf where nameOf[code] == nil || name < nameOf[code]! { nameOf[code] = name }
        let names = classes.map { nameOf[$0] ?? "" }
        let withLabel = reference.rerun(
            features: leaked, columns: 22, labels: y, classCount: classes.count, isTest: isTest, classNames: names)
        let without = reference.rerun(
            features: base, columns: 21, labels: y, classCount: classes.count, isTest: isTest, classNames: names)
        return .retrained(LeakageRetrain(withLabel: withLabel, without: without, rows: y.count, fraction: fraction))
    }
}

/// Belay's 21-feature baseline for the leakage check: the best rerun model's mean accuracy over a few random splits.
struct LeakageBaseline {
    /// The best model (by mean accuracy over the splits).
    var model: RerunModel
    /// Its mean test accuracy.
    var accuracy: Double
    /// Test rows per split: the n of the bound.
    var testCount: Int
    /// Rows fitted.
    var rows: Int
    /// Random splits averaged.
    var splits: Int
    /// Test fraction of the splits.
    var fraction: Double
    /// Whose rows: the student's features.csv, or the reference's (with why).
    var source: String

    var description: String {
        let f = Route019Checks.fixed3
        return "Belay's 21-feature baseline on \(source) (\(rows) rows): \(f(accuracy)) (\(model.rawValue)), mean over "
            + "\(splits) random split\(splits == 1 ? "" : "s") with test fraction \(f(fraction)), \(testCount) test rows each."
    }
}

extension Route019Checks {
    /// An integer class code as a student may write it (`2`, or `2.0` from a float column).
    static func integerCode(_ text: String) -> Int? {
        Int(text) ?? Double(text).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
    }

    /// The rows of features.csv a retrain can use: the first row of each id, with all 21 features whole numbers and a
    /// non-blank label. Features row-major (21 per row), labels normalized, both in file order.
    static func usableFeatureRows(_ context: Route019Context, _ table: FeatureTable) -> (values: [Double], labels: [String]) {
        context.derived.featureRows.value { usableFeatureRows(table) }
    }

    static func usableFeatureRows(_ table: FeatureTable) -> (values: [Double], labels: [String]) {
        var values: [Double] = []
        var labels: [String] = []
        var seen = Set<String>()
        for row in table.rows where seen.insert(row.id).inserted {
            let label = normalizedLabel(row.location)
            guard !label.isEmpty, row.values.count == 21, row.values.allSatisfy({ $0 != nil }) else { continue }
            values.append(contentsOf: row.values.map { Double($0 ?? 0) })
            labels.append(label)
        }
        return (values, labels)
    }

    /// The student's test fraction from metrics.csv when usable (0 < f < 1), else the reference's.
    static func studentTestFraction(_ context: Route019Context) -> Double {
        if case .success(let f) = metric(context, "test_fraction"), f > 0, f < 1 { return f }
        return context.reference.options.testFraction
    }

    /// The 21-feature baseline on the student's own features.csv rows and labels (or the reference's rows when
    /// the file is unusable), over `splits` random splits with the student's test fraction.
    static func leakageBaseline(_ context: Route019Context, splits: Int) -> LeakageBaseline {
        let reference = context.reference
        var values: [Double] = []
        var labels: [Int] = []
        var classes: [String] = []
        var source = "your \(context.names.features)"
        if let table = context.submission.features.value {
            let rows = usableFeatureRows(context, table)
            values = rows.values
            classes = Array(Set(rows.labels)).sorted()
            let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
            labels = rows.labels.map { code[$0] ?? 0 }
            if labels.count < 20 || classes.count < 2 {
                source = "the reference's proteins (your \(context.names.features) has \(labels.count) usable rows in \(classes.count) classes)"
                labels = []
            }
        } else {
            source = "the reference's proteins (your \(context.names.features) is not usable)"
        }
        if labels.isEmpty {
            values = Route019Reference.featureMatrix(reference.features, leakedCodes: nil)
            labels = reference.codes
            classes = reference.encoder.classes
        }
        let fraction = studentTestFraction(context)
        let (rowValues, rowLabels, classNames) = (values, labels, classes)
        let reruns = concurrentMap(splits) { s in
            reference.rerun(
                features: rowValues, columns: 21, labels: rowLabels, classCount: classNames.count,
                isTest: randomSplit(count: rowLabels.count, testFraction: fraction, seed: reference.options.seed &+ UInt64(s)),
                classNames: classNames)
        }
        var best = RerunModel.allCases[0]
        var bestMean = -1.0
        for (m, model) in RerunModel.allCases.enumerated() {
            let mean = reruns.map { $0.accuracies[m].accuracy }.reduce(0, +) / Double(reruns.count)
            if mean > bestMean {
                best = model
                bestMean = mean
            }
        }
        return LeakageBaseline(
            model: best, accuracy: bestMean, testCount: reruns[0].testCount, rows: labels.count, splits: splits,
            fraction: fraction, source: source)
    }
}
