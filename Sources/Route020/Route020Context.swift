import BelayGrading

/// What every Route 020 check sees: the reference (computed once per batch) and one student's submission.
public struct Route020Context: Sendable {
    public let reference: Route020Reference
    public let submission: Route020Submission
    /// The student's experiment resolved against the reference (split, labels per rate), computed once.
    let experiment: StudentExperiment
    /// The words for the submission's artefacts: file names, or a Swift module's functions.
    public let words: Route020Words

    /// A context for one submission.
    public init(reference: Route020Reference, submission: Route020Submission) {
        self.reference = reference
        self.submission = submission
        self.experiment = StudentExperiment(reference: reference, submission: submission)
        self.words = Route020Words.of(kind: submission.kind)
    }
}

/// A student's split and labels, resolved against the reference's cleaned proteins.
struct StudentExperiment: Sendable {
    /// One rate of `noisy_labels.csv`, on the grid.
    struct RateLabels: Sendable {
        /// The grid rate.
        var rate: Double
        /// The student's class code for each of `rows` (`nil`: no label, or a label that is no class).
        var codes: [Int?]
        /// Lines of the labels (0: none).
        var lines: [Int]
        /// Labels that are not a class: id, label, line (first ones) and the count.
        var nonClass: [(id: String, label: String, line: Int)]
        var nonClassCount: Int
        /// Ids at this rate that are not in the split (first ones) and the count.
        var extra: [String]
        var extraCount: Int
        /// Duplicated ids at this rate (first ones).
        var duplicates: [(id: String, line: Int)]
    }

    /// Reference rows (indices into `reference.ids`) of the split's known cleaned proteins, in file order, each once.
    var rows: [Int] = []
    /// Their sides.
    var isTest: [Bool] = []
    /// Split ids that are not sheet proteins at all.
    var unknown: [(id: String, line: Int)] = []
    /// Split ids of sheet proteins without a reference label (dropped by the cleaning).
    var uncleaned: [(id: String, line: Int)] = []
    /// Split ids given more than once.
    var duplicates: [(id: String, line: Int)] = []
    /// Cleaned proteins missing from the split.
    var missing: [String] = []
    /// Labels per grid rate present in `noisy_labels.csv`, in grid order.
    var rates: [RateLabels] = []
    /// Rates of `noisy_labels.csv` that are not on the grid.
    var offGridRates: [Double] = []

    /// Whether the split could be resolved at all.
    var hasSplit: Bool { !rows.isEmpty }

    /// The labels at grid rate `rate`, if handed in.
    func labels(at rate: Double) -> RateLabels? {
        rates.first { Route020Text.rateKey($0.rate) == Route020Text.rateKey(rate) }
    }

    init(reference: Route020Reference, submission: Route020Submission) {
        if let split = submission.split.value {
            var seen = Set<String>()
            for row in split.rows {
                guard seen.insert(row.id).inserted else {
                    duplicates.append((row.id, row.line))
                    continue
                }
                if let index = reference.indexByID[row.id] {
                    rows.append(index)
                    isTest.append(row.isTest)
                } else if reference.sheetIDs.contains(row.id) {
                    uncleaned.append((row.id, row.line))
                } else {
                    unknown.append((row.id, row.line))
                }
            }
            missing = reference.ids.filter { !seen.contains($0) }
        }
        guard let file = submission.noisyLabels.value, hasSplit else { return }
        let grid = Route020Submission.rateGrid
        let splitIDs = Set(rows.map { reference.ids[$0] })
        for rate in file.rates {
            guard let gridRate = grid.first(where: { abs($0 - rate.rate) < 1e-6 }) else {
                offGridRates.append(rate.rate)
                continue
            }
            var resolved = RateLabels(
                rate: gridRate, codes: [], lines: [], nonClass: [], nonClassCount: 0, extra: [], extraCount: 0,
                duplicates: rate.duplicates)
            for row in rows {
                let id = reference.ids[row]
                guard let entry = rate.labels[id] else {
                    resolved.codes.append(nil)
                    resolved.lines.append(0)
                    continue
                }
                let code = reference.code(of: entry.label)
                if code == nil {
                    resolved.nonClassCount += 1
                    if resolved.nonClass.count < 20 { resolved.nonClass.append((id, entry.label, entry.line)) }
                }
                resolved.codes.append(code)
                resolved.lines.append(entry.line)
            }
            for id in rate.labels.keys.sorted() where !splitIDs.contains(id) {
                resolved.extraCount += 1
                if resolved.extra.count < 20 { resolved.extra.append(id) }
            }
            rates.append(resolved)
        }
        rates.sort { $0.rate < $1.rate }
    }
}
