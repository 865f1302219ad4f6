import BelayGrading
import BelayLab

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
                guard let code = Int(pair.code) ?? Double(pair.code).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil }) else {
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
                problems.append("classes used in features.csv without a code: \(uncovered.joined(separator: ", "))")
            }
            if encoding.pairs.isEmpty { problems.append("label_encoding.csv has no rows") }
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
            let minimum = try spec.number("min_accuracy", default: 0.95)
            switch metric(context, "leakage_accuracy") {
            case .failure(let e): return unusable(e.problem)
            case .success(let a):
                guard (0...1).contains(a) else {
                    return .fail(
                        "leakage_accuracy is \(a), outside 0…1",
                        hint: "Write accuracy as a fraction of the test set (0.97), not a percentage or a count.")
                }
                if a >= minimum {
                    return .pass("leakage accuracy \(fixed3(a)): the leaked label gives the answer away, as expected")
                }
                return .fail(
                    "leakage accuracy \(fixed3(a)) is below \(fixed3(minimum))",
                    details: "With the encoded label itself among the features, a classifier should be almost always right.",
                    hint:
                        "Check that the 22nd feature is the encoded label of the same row (not shuffled, not from another table) and that it is included when you train."
                )
            }
        },

        "ex1.leakage.confirmed": { context, spec in
            let minimum = try spec.number("min_accuracy", default: 0.95)
            guard let table = context.submission.features.value else { return .error("features.csv is not usable") }
            guard let encoding = context.submission.encoding.value else {
                return unusable(
                    context.submission.encoding.problem ?? Problem(location: FileName.labelEncoding, message: "is missing"))
            }
            var codeOf: [String: Int] = [:]
            for pair in encoding.pairs { if let c = Int(pair.code) { codeOf[normalizedLabel(pair.location)] = c } }
            var rows: [Double] = []
            var labels: [Int] = []
            var seen = Set<String>()
            for row in table.rows where seen.insert(row.id).inserted {
                guard let code = codeOf[normalizedLabel(row.location)], row.values.allSatisfy({ $0 != nil }) else { continue }
                rows.append(contentsOf: row.values.map { Double($0 ?? 0) })
                rows.append(Double(code))
                labels.append(code)
            }
            let classes = Array(Set(labels)).sorted()
            guard labels.count >= 20, classes.count >= 2 else {
                return .fail(
                    "too few usable rows (\(labels.count)) to retrain the leaked model",
                    hint: "Every row needs 21 whole-number features and a location that label_encoding.csv codes.")
            }
            let dense = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
            let y = labels.map { dense[$0] ?? 0 }
            let isTest = randomSplit(
                count: y.count, testFraction: context.reference.options.testFraction, seed: context.reference.options.seed)
            let scores = trainAndScore(
                features: rows, rows: y.count, columns: 22, labels: y, classCount: classes.count, isTest: isTest)
            let details =
                "Belay retrained standardized logistic regression on your \(y.count) rows (21 features + encoded label), "
                + "random \(percent(context.reference.options.testFraction)) test split: accuracy \(fixed3(scores.accuracy))."
            if scores.accuracy >= minimum {
                return .pass("retraining with your leaked label confirms near-perfect accuracy", details: details)
            }
            return .fail(
                "retraining with your encoded label as a feature does not give near-perfect accuracy",
                details: details,
                hint: "The label encoding and the features' location column should describe the same labels row by row.")
        },
    ]
}
