import BelayGrading
import BelayLab
import Synchronization

// Pictures of a student's own work for the HTML report, as route-agnostic `ReportFigure`s: Route 019's knowledge
// (which similarities, which splits, which accuracies) stays here; BelayReports only draws bins, bars and ranges.
// Every figure is bounded (at most 50 bins or a handful of rows) and deterministic for a given submission.

/// The figures of one Route 019 submission.
public enum Route019Figures {
    /// Seeds of the repeated random-versus-clustered splits behind the accuracy ranges.
    public static let repeatedSeeds: ClosedRange<UInt64> = 1...10
    /// Most bins a histogram gets.
    static let maxBins = 50

    /// Every figure that the submission's files allow (a figure whose inputs are missing is left out).
    ///
    /// What is the same for every student is computed once per reference (``PerReference``): the similarity of
    /// every pair of the course's proteins and the reference's repeated splits. Per student there remain their
    /// threshold, their cluster sizes and two homology audits, which the checks have usually computed already
    /// (``Route019Reference/audit(ids:isTest:threshold:)`` and ``Route019Reference/components(for:threshold:)``
    /// are cached per protein set).
    /// - Complexity: O(proteins) per student when the checks have run; once per reference, one pass over all
    ///   protein pairs and ``repeatedSeeds`` × 2 reference fits.
    public static func make(_ context: Route019Context) -> [ReportFigure] {
        [similarity(context), clusterSizes(context), accuracies(context), audit(context)].compactMap { $0 }
    }

    /// Computes what every student's figures share (the similarity distribution, the repeated splits) now, on all
    /// cores, rather than in the first student's grading: a batch's graders call it once with the reference run.
    /// - Complexity: that of the ``PerReference`` values, once per reference.
    public static func prepare(_ reference: Route019Reference) {
        _ = concurrentMap(2) { k in
            if k == 0 { _ = datasetSimilarity(reference) } else { _ = repeated(reference) }
            return k
        }
    }

    /// The student's threshold when metrics.csv gives a usable one, else the reference's.
    static func threshold(_ context: Route019Context) -> (value: Float, isStudent: Bool) {
        if let t = Route019Checks.studentThreshold(context) { return (t, true) }
        return (context.reference.threshold, false)
    }

    /// The ids of clusters.csv (else splits.csv) that Belay can place, first occurrence, in file order.
    static func studentIDs(_ context: Route019Context) -> [String]? {
        let reference = context.reference
        let raw = context.submission.clusters.value?.rows.map(\.id) ?? context.submission.splits.value?.rows.map(\.id)
        guard let raw else { return nil }
        var seen = Set<String>()
        return raw.filter { reference.datasetRowByID[$0] != nil && seen.insert($0).inserted }
    }

    static func format(_ x: Double) -> String { Route019Checks.fixed3(x) }

    // MARK: Computed once per reference

    /// One value per reference run, computed by the first student who needs it while any other waits for it (a
    /// batch grades every student against one reference, so what is the same for all is computed once). The
    /// reference is held, so its identity is never reused while its entry exists.
    final class PerReference<Value: Sendable>: Sendable {
        private let compute: @Sendable (Route019Reference) -> Value
        private let entries = Mutex<[(reference: Route019Reference, value: Value)]>([])

        init(_ compute: @escaping @Sendable (Route019Reference) -> Value) { self.compute = compute }

        func callAsFunction(_ reference: Route019Reference) -> Value {
            entries.withLock { entries in
                if let hit = entries.first(where: { $0.reference === reference }) { return hit.value }
                let value = compute(reference)
                if entries.count >= 4 { entries.removeFirst() }
                entries.append((reference, value))
                return value
            }
        }
    }

    // MARK: Similarity distribution

    /// Fine bins of the pairwise histogram: 400 over [-1, 1], 0.005 wide.
    static let fineBins = 400

    /// The cosine similarity of every pair of the reference's proteins (labelled, with an embedding: the set the
    /// route clusters) in ``fineBins`` bins: the distribution every student picks a threshold from.
    static let datasetSimilarity = PerReference { reference in
        pairwiseSimilarityHistogram(reference.embeddings, bins: fineBins)
    }

    static func similarity(_ context: Route019Context) -> ReportFigure? {
        guard let ids = studentIDs(context), ids.count >= 2 else { return nil }
        let reference = context.reference
        let fine = datasetSimilarity(reference)
        guard let first = fine.firstIndex(where: { $0 > 0 }) else { return nil }
        // Start at a multiple of 0.05 at or below the lowest similarity; merge fine bins into at most `maxBins`.
        var start = first - first % 10
        let group = (fineBins - start + maxBins - 1) / maxBins
        start = max(0, fineBins - ((fineBins - start + group - 1) / group) * group)
        var edges: [Double] = [], counts: [Double] = []
        var k = start
        while k < fineBins {
            edges.append(Double(k - fineBins / 2) / Double(fineBins / 2))
            counts.append(Double(fine[k..<min(k + group, fineBins)].reduce(0, +)))
            k += group
        }
        edges.append(1)
        let (t, isStudent) = threshold(context)
        let pairs = fine.reduce(0, +)
        // Pairs strictly above the threshold, counted on the fine bins (exact to 0.005).
        let tBin = Int(((Double(t) + 1) * Double(fineBins / 2)).rounded(.up))
        let above = fine[min(max(tBin, 0), fineBins)...].reduce(0, +)
        var markers = [FigureMarker(value: Double(t), label: (isStudent ? "your threshold " : "threshold ") + format(Double(t)))]
        let referenceT = reference.threshold
        if isStudent, referenceT != t {
            markers.append(FigureMarker(value: Double(referenceT), label: "reference " + format(Double(referenceT))))
        }
        let proteins = reference.alignedIDs.count
        let yours = ids.count == proteins ? "" : " Your files place \(ids.count) proteins."
        return .histogram(
            id: "ex3.similarity", exercise: "ex3", title: "Cosine similarity of every pair of proteins",
            xLabel: "cosine similarity", yLabel: "pairs (log scale)",
            caption: "\(pairs) pairs among the \(proteins) labelled proteins with an embedding (Belay's float32 cosine of "
                + "the embeddings).\(yours) About \(above) pairs lie above the threshold \(format(Double(t))): these are "
                + "the edges of the similarity graph whose connected components are the clusters. Counts on a log "
                + "scale, so the thin tail near 1 stays visible.",
            edges: edges, series: [FigureSeries(name: "", counts: counts)], markers: markers, scale: .log)
    }

    // MARK: Cluster sizes

    static func clusterSizes(_ context: Route019Context) -> ReportFigure? {
        guard let table = context.submission.clusters.value, !table.rows.isEmpty else { return nil }
        var seen = Set<String>()
        var sizeOf: [String: Int] = [:]
        for row in table.rows where seen.insert(row.id).inserted { sizeOf[row.cluster, default: 0] += 1 }
        let sizes = Array(sizeOf.values)
        let largest = sizes.max() ?? 0
        // Size classes 1, 2, 3–4, 5–8, …: a handful of bars however large the largest cluster.
        var bars: [FigureBar] = []
        var low = 1, high = 1
        while low <= largest {
            let inClass = sizes.filter { $0 >= low && $0 <= high }
            let proteins = inClass.reduce(0, +)
            bars.append(
                FigureBar(
                    label: low == high ? "size \(low)" : "size \(low)–\(high)", value: Double(inClass.count),
                    note: "\(inClass.count) (\(proteins) proteins)"))
            low = high + 1
            high = high * 2
        }
        var caption =
            "Your clusters.csv: \(sizes.count) clusters of \(seen.count) proteins; largest \(largest), "
            + "\(sizes.count { $0 == 1 }) singletons."
        if let ids = studentIDs(context), !ids.isEmpty, context.submission.clusters.value != nil {
            let (t, _) = threshold(context)
            let belay = clusters(fromLabels: context.reference.components(for: ids, threshold: t)).stats
            caption +=
                " Belay's connected components at cosine > \(format(Double(t))) on the \(ids.count) proteins it can "
                + "place: \(belay.count) clusters, largest \(belay.largest), \(belay.singletons) singletons."
        }
        caption += " One giant cluster decides a clustered split: wherever it lands, it moves the test set."
        return .barChart(
            id: "ex3.cluster-sizes", exercise: "ex3", title: "Sizes of your clusters", xLabel: "number of clusters",
            yLabel: "", caption: caption, bars: bars)
    }

    // MARK: Accuracies

    /// The reference's accuracies over ``repeatedSeeds`` of both splits.
    static let repeated = PerReference { reference in reference.repeatedSplits(seeds: repeatedSeeds) }

    static func accuracies(_ context: Route019Context) -> ReportFigure? {
        guard let metrics = context.submission.metrics.value else { return nil }
        func value(_ name: String) -> Double? {
            guard case .success(let v) = metrics.number(name), v.isFinite else { return nil }
            return v
        }
        let reference = context.reference
        let figures = reference.figures
        let z = 1.96
        func wilsonRow(_ label: String, _ value: Double?, _ scores: Scores) -> FigureInterval {
            let w = ConfidenceBounds.wilson(proportion: scores.accuracy, count: scores.testCount, z: z)
            return FigureInterval(
                label: label, value: value, reference: scores.accuracy, low: w.lower, high: w.upper,
                rangeLabel: "reference, 95% Wilson interval for \(scores.testCount) test proteins")
        }
        let spread = repeated(reference)
        func spreadRow(_ label: String, _ value: Double?, _ summary: MeanAndDeviation, _ single: Scores) -> FigureInterval {
            guard summary.count >= 2 else { return wilsonRow(label, value, single) }
            return FigureInterval(
                label: label, value: value, reference: summary.mean,
                low: max(0, summary.mean - summary.standardDeviation), high: min(1, summary.mean + summary.standardDeviation),
                rangeLabel: "reference mean ± 1 sd over \(summary.count) seeds")
        }
        let rows = [
            wilsonRow("leakage (22 features)", value("leakage_accuracy"), figures.leakage),
            wilsonRow("baseline (21 features)", value("baseline_accuracy"), figures.baseline),
            spreadRow("random split", value("random_split_accuracy"), spread.randomAccuracy, figures.randomSplit),
            spreadRow("clustered split", value("clustered_split_accuracy"), spread.clusteredAccuracy, figures.clusteredSplit),
        ]
        return .intervalPlot(
            id: "ex3.accuracies", exercise: "ex3", title: "Your accuracies beside the reference",
            xLabel: "test accuracy", yLabel: "",
            caption: "Dots: your metrics.csv. Leakage and baseline: Belay's reference on its own random split "
                + "(seed \(reference.options.seed)) with a 95% Wilson interval for its test set. Random and clustered: "
                + "the reference's mean ± 1 standard deviation over \(repeatedSeeds.count) seeds of both splits "
                + "(\(spread.verdict)). Majority class on the reference split: \(format(figures.majority)).",
            intervals: rows, valueRange: 0...1)
    }

    // MARK: Homology audit

    static func audit(_ context: Route019Context) -> ReportFigure? {
        guard let splits = Route019Checks.studentSplits(context), splits.ids.count >= 2 else { return nil }
        let (t, isStudent) = threshold(context)
        let reference = context.reference
        let random = reference.audit(ids: splits.ids, isTest: splits.randomIsTest, threshold: t)
        let clustered = reference.audit(ids: splits.ids, isTest: splits.clusteredIsTest, threshold: t)
        let all = (random.maxSimilarityToTrain + clustered.maxSimilarityToTrain).filter(\.isFinite).map(Double.init)
        guard let minimum = all.min() else { return nil }
        let bins = 40
        let low = max(-1, (minimum * 20).rounded(.down) / 20)
        let width = (1 - low) / Double(bins)
        let edges = (0...bins).map { Points.clean(low + Double($0) * width) }
        func counts(_ a: HomologyAudit) -> [Double] {
            var c = [Double](repeating: 0, count: bins)
            for s in a.maxSimilarityToTrain where s.isFinite {
                c[min(bins - 1, max(0, Int(((Double(s) - low) / width).rounded(.down))))] += 1
            }
            return c
        }
        return .histogram(
            id: "ex3.homology-audit", exercise: "ex3",
            title: "Homology audit: each test protein's highest similarity to training",
            xLabel: "highest cosine similarity to a training protein", yLabel: "test proteins",
            caption: Route019Checks.auditSummary("Random split", random) + " "
                + Route019Checks.auditSummary("Clustered split", clustered)
                + " A test protein above the threshold has a close relative in training: the random split leaks, a "
                + "clustered split should not.",
            edges: edges,
            series: [
                FigureSeries(name: "random split (\(random.testIndices.count) test)", counts: counts(random)),
                FigureSeries(name: "clustered split (\(clustered.testIndices.count) test)", counts: counts(clustered)),
            ],
            markers: [FigureMarker(value: Double(t), label: (isStudent ? "your threshold " : "threshold ") + format(Double(t)))])
    }
}
