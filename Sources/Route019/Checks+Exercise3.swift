import BelayGrading
import BelayLab
import BelayRoute
import BelayData

/// A student's two splits restricted to the proteins Belay can judge (known ids with an embedding).
struct StudentSplits {
    var ids: [String] = []
    var randomIsTest: [Bool] = []
    var clusteredIsTest: [Bool] = []
    /// Ids Belay cannot judge (unknown or without an embedding).
    var skipped: [String] = []
}

extension Route019Checks {
    /// The student's splits.csv rows Belay can judge (derived once per grading).
    static func studentSplits(_ context: Route019Context) -> StudentSplits? {
        context.derived.splits.value { readSplits(context) }
    }

    static func readSplits(_ context: Route019Context) -> StudentSplits? {
        guard let table = context.submission.splits.value else { return nil }
        var out = StudentSplits()
        var seen = Set<String>()
        for row in table.rows where seen.insert(row.id).inserted {
            guard context.reference.datasetRowByID[row.id] != nil, row.random == "train" || row.random == "test",
                row.clustered == "train" || row.clustered == "test"
            else {
                out.skipped.append(row.id)
                continue
            }
            out.ids.append(row.id)
            out.randomIsTest.append(row.random == "test")
            out.clusteredIsTest.append(row.clustered == "test")
        }
        return out
    }

    /// The audit text of one split, for reports.
    static func auditSummary(_ name: String, _ audit: HomologyAudit) -> String {
        let sims = audit.maxSimilarityToTrain.map(Double.init).sorted()
        let median = sims.isEmpty ? 0 : sims[sims.count / 2]
        return "\(name): \(audit.countAboveThreshold) of \(audit.testIndices.count) test proteins "
            + "(\(percent(audit.shareAboveThreshold))) have a training protein above cosine \(fixed3(Double(audit.threshold))); "
            + "median highest similarity to training \(fixed3(median))."
    }

    static let exercise3: [String: CheckImplementation<Route019Context>] = [
        "ex3.metrics.readable": { context, _ in
            guard let metrics = context.submission.metrics.value else {
                return unusable(context.submission.metrics.problem ?? Problem(location: context.names.metrics, message: "is missing"))
            }
            var problems: [String] = []
            for name in Route019Submission.requiredMetrics {
                switch metrics.number(name, file: context.names.metrics) {
                case .failure(let e): problems.append(e.problem.description)
                case .success(let v):
                    if name.hasSuffix("_accuracy") && !(0...1).contains(v) {
                        problems.append("`\(name)` is \(v); accuracy is a fraction between 0 and 1")
                    }
                    if name == "test_fraction" && !(v > 0 && v < 1) {
                        problems.append("`test_fraction` is \(v); it must be between 0 and 1")
                    }
                    if name == "similarity_threshold" && !(v > -1 && v < 1) {
                        problems.append("`similarity_threshold` is \(v); a cosine threshold lies between -1 and 1")
                    }
                }
            }
            if problems.isEmpty { return .pass("all five required figures are present and numeric") }
            return .fail(
                "\(context.names.metrics): \(plural(problems.count, "problem"))", details: problems.joined(separator: "\n"),
                hint: "\(context.names.metrics) has two columns, `name,value`, one row per figure: "
                    + Route019Submission.requiredMetrics.joined(separator: ", ") + ".")
        },

        "ex3.splits.readable": { context, _ in
            guard let table = context.submission.splits.value else {
                return unusable(context.submission.splits.problem ?? Problem(location: context.names.splits, message: "is missing"))
            }
            var problems: [String] = []
            var seen: [String: Int] = [:]
            var bad = 0
            for row in table.rows {
                if let first = seen[row.id] {
                    problems.append("line \(row.line): `\(row.id)` repeats line \(first)")
                } else {
                    seen[row.id] = row.line
                }
                for (column, value) in [("random_split", row.random), ("clustered_split", row.clustered)]
                where value != "train" && value != "test" {
                    bad += 1
                    if bad <= 5 { problems.append("line \(row.line), column `\(column)`: `\(value)` is neither train nor test") }
                }
                if context.reference.datasetRowByID[row.id] == nil && problems.count < 12 {
                    problems.append("line \(row.line): `\(row.id)` has no embedding (or is not a dataset protein)")
                }
            }
            if table.rows.isEmpty { problems.append("\(context.names.splits) has no rows") }
            if let clusters = context.submission.clusters.value {
                let clusterIDs = Set(clusters.rows.map(\.id))
                let splitIDs = Set(seen.keys)
                let onlySplits = splitIDs.subtracting(clusterIDs).sorted()
                let onlyClusters = clusterIDs.subtracting(splitIDs).sorted()
                if !onlySplits.isEmpty { problems.append("in \(context.names.splits) but not \(context.names.clusters): \(listSome(onlySplits))") }
                if !onlyClusters.isEmpty { problems.append("in \(context.names.clusters) but not \(context.names.splits): \(listSome(onlyClusters))") }
            }
            if problems.isEmpty { return .pass("\(plural(table.rows.count, "protein")) with both splits") }
            return .fail(
                "\(context.names.splits): \(plural(problems.count, "problem"))", details: problems.prefix(12).joined(separator: "\n"),
                hint: "One row per protein of \(context.names.clusters), with `train` or `test` in both `random_split` and `clustered_split`.")
        },

        "ex3.alignment": { context, spec in
            let show = try spec.int("show_ids", default: 5)
            let reference = context.reference
            let handed: [String]
            let source: String
            if let clusters = context.submission.clusters.value {
                handed = clusters.rows.map(\.id)
                source = context.names.clusters
            } else if let splits = context.submission.splits.value {
                handed = splits.rows.map(\.id)
                source = context.names.splits
            } else {
                return unusable(context.submission.clusters.problem ?? Problem(location: context.names.clusters, message: "is missing"))
            }
            // Expected: a labelled set's proteins that have a vector. The student's own labelled proteins come first;
            // the reference's labelled set and, when the sheet has a location column, Belay's cleaning's are accepted
            // too, so a student following either label source aligns correctly.
            let labels = reference.labelReference
            var bases: [(name: String, ids: [String])] = []
            if let features = context.submission.features.value {
                bases.append(("your labelled proteins in \(context.names.features)", features.rows.map(\.id).filter { reference.sheetIDs.contains($0) }))
            }
            bases.append(("the proteins labelled by \(labels.source.phrase)", reference.ids))
            if let other = labels.alternativePhrase { bases.append(("the proteins labelled by \(other)", labels.cleaningIDs)) }
            let got = Set(handed)
            struct Comparison {
                var name: String, base: [String], withoutEmbedding: [String], notLabelled: [String], lost: [String]
                var problems: Int { withoutEmbedding.count + notLabelled.count + lost.count }
            }
            let comparisons = bases.map { b -> Comparison in
                let expected = Set(b.ids.filter { reference.embeddedSheetIDs.contains($0) })
                return Comparison(
                    name: b.name, base: b.ids,
                    withoutEmbedding: got.subtracting(expected).filter { !reference.embeddedSheetIDs.contains($0) }.sorted(),
                    notLabelled: got.subtracting(expected).filter { reference.embeddedSheetIDs.contains($0) }.sorted(),
                    lost: expected.subtracting(got).sorted())
            }
            let matched = comparisons.first { $0.problems == 0 }
            // Without a match, report against the student's own set, else against the closest labelled set.
            let shown =
                matched
                ?? (context.submission.features.value != nil
                    ? comparisons[0] : comparisons.min { $0.problems < $1.problems } ?? comparisons[0])
            let baseMissing = shown.base.filter { !reference.embeddedSheetIDs.contains($0) }.count
            var details = [
                "Compared with \(shown.name): \(shown.base.count) labelled proteins, \(baseMissing) of them without an embedding; \(source) holds \(got.count)."
            ]
            if !shown.withoutEmbedding.isEmpty {
                details.append("Kept although the embedding file has no vector for them: \(listSome(shown.withoutEmbedding, limit: show))")
            }
            if !shown.lost.isEmpty { details.append("Lost although they have a vector: \(listSome(shown.lost, limit: show))") }
            if !shown.notLabelled.isEmpty {
                details.append("Not among \(shown.name): \(listSome(shown.notLabelled, limit: show))")
            }
            if matched != nil {
                return .pass(
                    "\(plural(got.count, "protein")) aligned; the \(plural(baseMissing, "protein")) without an embedding were dropped",
                    details: details.joined(separator: "\n"))
            }
            return .fail(
                "the proteins in \(source) are not your labelled proteins that have an embedding",
                details: details.joined(separator: "\n"),
                hint:
                    "Keep the labelled proteins whose id is a dataset in the HDF5 file (an inner join on the id), in one table, before computing similarities."
            )
        },

        "ex3.threshold.plausible": { context, spec in
            let low = try spec.number("min", default: 0.5)
            let high = try spec.number("max", default: 0.995)
            guard case .success(let t) = metric(context, "similarity_threshold") else { return .error("no threshold") }
            let recommended = context.reference.dataset.recommendedThreshold.map { " This dataset recommends about \(fixed3(Double($0)))." } ?? ""
            if t >= low && t <= high {
                return .pass("threshold \(t)")
            }
            return .fail(
                "similarity threshold \(t) is outside \(low)…\(high)",
                hint:
                    "The route starts at cosine 0.8; a threshold far below links unrelated proteins, one near 1 links only near-identical ones.\(recommended)"
            )
        },

        "ex3.clusters.match": { context, spec in
            let partialARI = try spec.number("partial_min_ari", default: 0.9)
            guard let table = context.submission.clusters.value else {
                return unusable(context.submission.clusters.problem ?? Problem(location: context.names.clusters, message: "is missing"))
            }
            guard let threshold = studentThreshold(context) else { return .error("no usable threshold") }
            let reference = context.reference
            var ids: [String] = []
            var studentLabels: [String] = []
            var seen = Set<String>()
            for row in table.rows where seen.insert(row.id).inserted && reference.datasetRowByID[row.id] != nil {
                ids.append(row.id)
                studentLabels.append(row.cluster)
            }
            guard !ids.isEmpty else { return .fail("\(context.names.clusters) has no protein Belay can place", hint: "Use the sheet's ids.") }
            var codeOf: [String: Int] = [:]
            let student = studentLabels.map { label in
                if let c = codeOf[label] { return c }
                codeOf[label] = codeOf.count
                return codeOf.count - 1
            }
            let slack = Route019Reference.thresholdSlack
            let exact = reference.components(for: ids, threshold: threshold)
            let finer = reference.components(for: ids, threshold: threshold + slack)
            let coarser = reference.components(for: ids, threshold: threshold - slack)
            let studentClustering = clusters(fromLabels: student)
            let referenceClustering = clusters(fromLabels: exact)
            let summary =
                "Your clusters: \(studentClustering.stats.count) (largest \(studentClustering.stats.largest), \(studentClustering.stats.singletons) singletons). "
                + "Connected components at cosine > \(threshold) on the same \(ids.count) proteins: \(referenceClustering.stats.count) "
                + "(largest \(referenceClustering.stats.largest), \(referenceClustering.stats.singletons) singletons)."
            if samePartition(student, exact) || (refines(finer, student) && refines(student, coarser)) {
                return .pass("your clusters are the connected components at threshold \(threshold)", details: summary)
            }
            let ari = adjustedRandIndex(student, exact)
            var hint =
                "Link two proteins when their cosine similarity is strictly above the threshold, then take connected components of that graph (not k-means, not a fixed number of clusters)."
            if let recommended = reference.dataset.recommendedThreshold, recommended != threshold,
                samePartition(student, reference.components(for: ids, threshold: recommended))
            {
                hint = "Your clusters match a different threshold than the one \(context.names.metrics) reports; report the threshold you used."
            } else if threshold != 0.8, samePartition(student, reference.components(for: ids, threshold: 0.8)) {
                hint = "Your clusters match threshold 0.8, not the one \(context.names.metrics) reports; report the threshold you used."
            } else if studentClustering.stats.count > referenceClustering.stats.count
                && refines(student, exact)
            {
                hint =
                    "Every one of your clusters lies inside one true component, but some components are split: links are transitive (a–b and b–c put a and c together), so take connected components, not only direct neighbours."
            }
            let details = summary + " Adjusted Rand index between the two: \(fixed3(ari))."
            if ari >= partialARI {
                return .partial(0.5, "your clusters are close to, but not exactly, the connected components (ARI \(fixed3(ari)))",
                                details: details, hint: hint)
            }
            return .fail("your clusters differ from the connected components at threshold \(threshold)", details: details, hint: hint)
        },

        "ex3.clustered_split.no_shared_clusters": { context, _ in
            guard let splits = studentSplits(context), !splits.ids.isEmpty else { return .error("no usable splits") }
            guard let threshold = studentThreshold(context) else { return .error("no usable threshold") }
            let reference = context.reference
            let clusteredAudit = reference.audit(ids: splits.ids, isTest: splits.clusteredIsTest, threshold: threshold + Route019Reference.thresholdSlack)
            let randomAudit = reference.audit(ids: splits.ids, isTest: splits.randomIsTest, threshold: threshold)
            let labels = reference.components(for: splits.ids, threshold: threshold + Route019Reference.thresholdSlack)
            let shared = sharedClusters(clusterLabels: labels, isTest: splits.clusteredIsTest)
            let details = [
                auditSummary("Clustered split", clusteredAudit), auditSummary("Random split", randomAudit),
                "Judged on Belay's own similarity graph at your threshold (\(threshold)), whatever your \(context.names.clusters) says.",
            ]
            if clusteredAudit.testIndices.isEmpty {
                return .fail("the clustered split has no test proteins", details: details.joined(separator: "\n"),
                             hint: "Assign whole clusters to the test set until it holds about the test fraction of proteins.")
            }
            if shared.isEmpty && clusteredAudit.countAboveThreshold == 0 {
                return .pass("no cluster has members on both sides of the clustered split", details: details.joined(separator: "\n"))
            }
            let linked = clusteredAudit.testIndices.enumerated()
                .filter { clusteredAudit.maxSimilarityToTrain[$0.offset] > clusteredAudit.threshold }
                .prefix(5).map { "`\(splits.ids[$0.element])` (\(fixed3(Double(clusteredAudit.maxSimilarityToTrain[$0.offset]))))" }
            return .fail(
                "\(plural(shared.count, "cluster")) straddle the clustered split; \(clusteredAudit.countAboveThreshold) test proteins have a training protein above the threshold",
                details: (details + ["Test proteins linked to training, e.g.: " + linked.joined(separator: ", ")]).joined(separator: "\n"),
                hint:
                    "Choose test clusters, then put every member of a chosen cluster in test and every other protein in train; never split a cluster's members."
            )
        },

        "ex3.random_split.shares_clusters": { context, _ in
            guard let splits = studentSplits(context), !splits.ids.isEmpty else { return .error("no usable splits") }
            guard let threshold = studentThreshold(context) else { return .error("no usable threshold") }
            if splits.randomIsTest == splits.clusteredIsTest {
                return .fail(
                    "the random split is identical to the clustered split",
                    hint: "Draw the random split independently of the clusters (e.g. train_test_split on the proteins).")
            }
            let labels = context.reference.components(for: splits.ids, threshold: threshold)
            let shared = sharedClusters(clusterLabels: labels, isTest: splits.randomIsTest)
            let linkedClusters = Set(labels).count < labels.count
            let audit = context.reference.audit(ids: splits.ids, isTest: splits.randomIsTest, threshold: threshold)
            let details = auditSummary("Random split", audit)
            if !shared.isEmpty {
                return .pass("the random split puts members of \(plural(shared.count, "cluster")) on both sides, as random splits do", details: details)
            }
            if !linkedClusters {
                return .pass("at this threshold no two proteins are linked, so there is nothing to share", details: details)
            }
            let test = splits.randomIsTest.filter { $0 }.count
            return .fail(
                "the random split keeps every cluster whole, which a random split of \(splits.ids.count) proteins (\(test) in test) almost never does",
                details: details,
                hint: "The random split should ignore the clusters: shuffle proteins, not clusters.")
        },

        "ex3.splits.fraction": { context, spec in
            guard let splits = studentSplits(context), !splits.ids.isEmpty else { return .error("no usable splits") }
            guard case .success(let declared) = metric(context, "test_fraction") else { return .error("no test_fraction") }
            let randomTolerance = try spec.number("random_tolerance", default: 0.05)
            let clusteredTolerance = try spec.number("clustered_tolerance", default: 0.15)
            let n = Double(splits.ids.count)
            let randomTest = splits.randomIsTest.filter { $0 }.count
            let clusteredTest = splits.clusteredIsTest.filter { $0 }.count
            let randomShare = Double(randomTest) / n
            let clusteredShare = Double(clusteredTest) / n
            // A random split drawn protein by protein (a coin per protein) has a binomial spread around the fraction.
            let randomBound = max(randomTolerance, 3 * (declared * (1 - declared) / n).squareRoot())
            var clusterShare = clusteredShare
            var wholeClusters: WholeClusterShare?
            if let threshold = studentThreshold(context) {
                let labels = context.reference.components(for: splits.ids, threshold: threshold)
                var testClusters = Set<Int>()
                for (i, l) in labels.enumerated() where splits.clusteredIsTest[i] { testClusters.insert(l) }
                clusterShare = Double(testClusters.count) / Double(max(1, Set(labels).count))
                wholeClusters = WholeClusterShare(labels: labels, isTest: splits.clusteredIsTest)
            }
            let randomOK = abs(randomShare - declared) <= randomBound
            // Whole clusters come in lumps: a share far from the fraction is still honest when no single cluster could
            // be moved to get nearer (one giant component in test, or only clusters too big to add left in training).
            let lumpy = wholeClusters?.nothingNearer(fraction: declared, tolerance: clusteredTolerance) ?? false
            let clusteredOK =
                abs(clusteredShare - declared) <= clusteredTolerance || abs(clusterShare - declared) <= clusteredTolerance
                || lumpy
            var details =
                "Declared test_fraction \(fixed3(declared)). Random split: \(fixed3(randomShare)) of proteins in test "
                + "(tolerance ±\(fixed3(randomBound)): the larger of \(randomTolerance) and 3 binomial standard errors for \(Int(n)) proteins). "
                + "Clustered split: \(fixed3(clusteredShare)) of proteins, \(fixed3(clusterShare)) of clusters in test (tolerance ±\(clusteredTolerance), either measure)."
            if lumpy, let w = wholeClusters {
                details +=
                    " Whole clusters cannot land nearer the fraction: the largest test cluster holds \(w.largestTest) proteins "
                    + "and the smallest training cluster \(w.smallestTrain.map(String.init) ?? "none"), of \(Int(n))."
            }
            switch (randomOK, clusteredOK) {
            case (true, true): return .pass("both test sets are near the declared fraction", details: details)
            case (false, true):
                return .partial(0.5, "the random test set holds \(fixed3(randomShare)) of proteins, not about \(fixed3(declared))",
                                details: details, hint: "Pass test_size=test_fraction when you split.")
            case (true, false):
                return .partial(0.5, "the clustered test set is far from the declared fraction", details: details,
                                hint: "Choose test clusters until they hold about the test fraction of proteins (or of clusters).")
            case (false, false):
                return .fail("neither test set is near the declared fraction \(fixed3(declared))", details: details,
                             hint: "Use the same test fraction for both splits and report it in \(context.names.metrics).")
            }
        },

        "ex3.accuracy.random_rerun": { context, spec in
            try rerunCheck(context, spec, metricName: "random_split_accuracy", clustered: false)
        },

        "ex3.accuracy.clustered_rerun": { context, spec in
            try rerunCheck(context, spec, metricName: "clustered_split_accuracy", clustered: true)
        },
    ]

    /// The sizes that decide whether a clustered test set could have landed nearer its fraction by whole clusters.
    struct WholeClusterShare {
        var proteins: Int
        var test: Int
        /// Size of the largest cluster with a member in test.
        var largestTest: Int
        /// Size of the smallest cluster wholly in training (nil when every cluster has a test member).
        var smallestTrain: Int?

        init(labels: [Int], isTest: [Bool]) {
            var size: [Int: Int] = [:]
            var inTest = Set<Int>()
            for (i, l) in labels.enumerated() {
                size[l, default: 0] += 1
                if isTest[i] { inTest.insert(l) }
            }
            proteins = labels.count
            test = isTest.filter { $0 }.count
            largestTest = inTest.map { size[$0] ?? 0 }.max() ?? 0
            smallestTrain = size.filter { !inTest.contains($0.key) }.map(\.value).min()
        }

        /// Whether moving one whole cluster cannot bring the test share within `tolerance` of `fraction`: an
        /// overshoot that one cluster causes, or an undershoot where every training cluster is too big to add.
        func nothingNearer(fraction: Double, tolerance: Double) -> Bool {
            let n = Double(max(1, proteins))
            let share = Double(test) / n
            if share > fraction + tolerance { return Double(test - largestTest) / n <= fraction + tolerance }
            if share < fraction - tolerance {
                guard let smallestTrain else { return true }
                return Double(test + smallestTrain) / n > fraction + tolerance
            }
            return true
        }
    }

    /// Whether partition `fine` refines `coarse` (every cluster of `fine` lies inside one cluster of `coarse`).
    static func refines(_ fine: [Int], _ coarse: [Int]) -> Bool {
        var image: [Int: Int] = [:]
        for (f, c) in zip(fine, coarse) {
            if let seen = image[f], seen != c { return false }
            image[f] = c
        }
        return true
    }

    /// Judges a reported split accuracy against Belay's reruns on the student's own split (one-sided, statistical).
    ///
    /// Belay reruns several common classifiers (`RerunModel`) on the embeddings with the reference labels and the
    /// student's split, and takes the best test accuracy p̂. The reported figure fails only when it lies above the
    /// Wilson upper bound of p̂ for the split's n test proteins at the rubric's `z` (default 3): more than test-set
    /// noise and solver differences explain. Lower figures always pass, since the student's classifier may be worse.
    ///
    /// The models are fitted tier by tier (``RerunModel/tiers``), and the check stops at the first tier whose best
    /// bound already covers the figure: a further model could only raise p̂ and the bound, never fail the figure, so
    /// the verdict is the one every model would give. A figure above every bound has had every model fitted.
    static func rerunCheck(_ context: Route019Context, _ spec: CheckSpec, metricName: String, clustered: Bool) throws -> Verdict {
        // (``prefetchReruns`` starts the same reruns early: keep the two in step.)
        let z = try spec.number("z", default: 3)
        guard z.isFinite, z >= 0 else { return .error("rubric parameter `z` must be a non-negative number, not \(z)") }
        guard let splits = studentSplits(context) else { return .error("no usable splits") }
        guard case .success(let reported) = metric(context, metricName) else { return .error("no \(metricName)") }
        let name = clustered ? "clustered" : "random"
        guard reported.isFinite, (0...1).contains(reported) else {
            return .fail(
                "\(metricName) is \(reported), outside 0…1",
                hint: "Write accuracy as a fraction of the test set (0.87), not a percentage or a count.")
        }
        let reference = context.reference
        let (ids, isTest) = rerunSplit(splits, reference: reference, clustered: clustered)
        let testCount = isTest.filter { $0 }.count
        guard testCount > 0, testCount < ids.count else {
            return .fail(
                "the \(name) split has an empty \(testCount == 0 ? "test" : "training") set",
                hint: "Both sides of a split need proteins.")
        }
        let judgement = AccuracyJudgement(
            reported: reported,
            rerun: reference.rerun(ids: ids, isTest: isTest) { AccuracyJudgement(reported: reported, rerun: $0, z: z).isCredible },
            z: z)
        let rerun = judgement.rerun
        var details = [
            judgement.summary,
            "Belay retrained on the embeddings with your \(name) split (\(rerun.trainCount) train, \(rerun.testCount) test, "
                + "reference labels): \(rerun.summary).",
            "A figure fails only above the upper bound: an accuracy on \(rerun.testCount) proteins varies by about "
                + "\(fixed3(ConfidenceBounds.standardError(proportion: rerun.best.accuracy, count: rerun.testCount))) "
                + "(one standard error) between test sets and solvers. Lower figures always pass: other classifiers may be worse.",
        ]
        if !rerun.skipped.isEmpty {
            details.append(
                "Not fitted: \(rerun.skipped.map(\.rawValue).joined(separator: ", ")). Your figure is already within the bound above, "
                    + "and another model could only raise the best accuracy and its bound, so it could not change this verdict.")
        }
        let unjudged = splits.ids.count - ids.count + splits.skipped.count
        if unjudged > 0 {
            details.append("\(plural(unjudged, "protein")) of \(context.names.splits) have no reference label or embedding and are left out.")
        }
        if judgement.isCredible {
            return .pass("the reported \(name)-split accuracy is consistent with a rerun on your split",
                         details: details.joined(separator: "\n"))
        }
        return .fail(
            "the reported \(name)-split accuracy \(fixed3(reported)) is well above what your split supports",
            details: details.joined(separator: "\n"),
            hint:
                "Report the accuracy measured on this split's test proteins only, with the model trained on its training proteins only; make sure no test protein (or its label) reaches training."
        )
    }

    /// The proteins of a student's split that have a reference label, in splits.csv order, and which are test.
    static func rerunSplit(_ splits: StudentSplits, reference: Route019Reference, clustered: Bool) -> (ids: [String], isTest: [Bool]) {
        var ids: [String] = []
        var isTest: [Bool] = []
        for (i, id) in splits.ids.enumerated() where reference.indexByID[id] != nil {
            ids.append(id)
            isTest.append(clustered ? splits.clusteredIsTest[i] : splits.randomIsTest[i])
        }
        return (ids, isTest)
    }
}
