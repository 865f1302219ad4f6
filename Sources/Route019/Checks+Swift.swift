import BelayGrading
import BelayLab
import Foundation

extension Route019Checks {
    /// The Swift module's answers, or the verdict that says why there are none.
    static func probes(_ context: Route019Context) -> Result<SwiftProbes, VerdictError> {
        guard let probes = context.submission.swiftProbes else {
            return .failure(VerdictError(.notApplicable("not a Swift submission")))
        }
        return .success(probes)
    }

    /// A shown string with its invisible characters made visible ("M K\nV" → `"M K\nV"`).
    static func shown(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    static let swiftModule: [String: CheckImplementation<Route019Context>] = [
        "swift.builds": { context, _ in
            guard let probes = context.submission.swiftProbes else { return .notApplicable("not a Swift submission") }
            let notes = probes.buildNotes.joined(separator: "\n")
            if let refusal = probes.packageProblem { return unusable(refusal) }
            if let error = probes.compileError {
                return .fail(
                    "the Swift package did not compile", details: error + (notes.isEmpty ? "" : "\n\n" + notes),
                    hint: "Run `swift build` in your package and fix the first error it shows; keep exactly one type conforming to LeakyPipelineExercises.")
            }
            return .pass("built \(probes.typeName ?? "the module")", details: notes)
        },

        "swift.features.edge_cases": { context, _ in
            let probes: SwiftProbes
            switch Self.probes(context) { case .success(let p): probes = p; case .failure(let v): return v.verdict }
            guard case .success(let rows) = probes.features else {
                if case .failure(let e) = probes.features { return unusable(e.problem) }
                return .error("no answer")
            }
            guard rows.count == SwiftProbeInputs.sequences.count else {
                return .fail("features(of:) answered \(rows.count) rows for \(SwiftProbeInputs.sequences.count) sequences")
            }
            var wrong: [String] = []
            let names = AminoAcids.featureNames
            for (sequence, row) in zip(SwiftProbeInputs.sequences, rows) {
                let want = [sequenceFeatures(sequence).length] + sequenceFeatures(sequence).counts
                if row != want {
                    let diffs = zip(names, zip(row + [Int](repeating: -1, count: max(0, 21 - row.count)), want))
                        .filter { $0.1.0 != $0.1.1 }.prefix(3).map { "\($0.0) \($0.1.0) (expected \($0.1.1))" }
                    wrong.append("\(shown(sequence)): " + (row.count == 21 ? diffs.joined(separator: ", ") : "\(row.count) values instead of 21"))
                }
            }
            if wrong.isEmpty { return .pass("all \(rows.count) edge cases right") }
            return .partial(
                Double(rows.count - wrong.count) / Double(rows.count),
                "features(of:) is wrong on \(plural(wrong.count, "edge case"))", details: wrong.joined(separator: "\n"),
                hint: "Ignore whitespace and one final `*`, count lower case as upper case, and let other letters count towards the length only.")
        },

        "swift.cleaning.edge_cases": { context, _ in
            let probes: SwiftProbes
            switch Self.probes(context) { case .success(let p): probes = p; case .failure(let v): return v.verdict }
            guard case .success(let labels) = probes.cleaning else {
                if case .failure(let e) = probes.cleaning { return unusable(e.problem) }
                return .error("no answer")
            }
            let cleaner = LabelCleaner()
            var wrong: [String] = []
            for (i, text) in SwiftProbeInputs.locationTexts.enumerated() {
                let outcome = text.contains("[GO:") ? cleaner.clean(goTerms: text) : cleaner.clean(uniprotLocation: text)
                let want: String? = if case .label(let l) = outcome { l } else { nil }
                let got = i < labels.count ? labels[i] : nil
                if got != want {
                    wrong.append("\(shown(text)): \(got.map { "`\($0)`" } ?? "nil") (expected \(want.map { "`\($0)`" } ?? "nil"))")
                }
            }
            let total = SwiftProbeInputs.locationTexts.count
            if wrong.isEmpty && labels.count == total { return .pass("all \(total) texts cleaned right") }
            return .partial(
                Double(total - wrong.count) / Double(total), "cleanLocation(_:) is wrong on \(plural(wrong.count, "text"))",
                details: wrong.joined(separator: "\n"),
                hint: "Drop evidence tags and Note= parts, split locations at `;` and `.`, and return nil when the text names two classes or none.")
        },

        "swift.cosine.values": { context, spec in
            let tolerance = try spec.number("tolerance", default: 1e-4)
            let probes: SwiftProbes
            switch Self.probes(context) { case .success(let p): probes = p; case .failure(let v): return v.verdict }
            switch probes.cosineMaxDifference {
            case .failure(let e): return unusable(e.problem)
            case .success(let worst):
                if worst <= tolerance { return .pass("largest difference from the reference \(worst)") }
                return .fail(
                    "cosineSimilarity(_:) differs from the reference by up to \(worst)",
                    hint: "Cosine similarity is the dot product of the two vectors divided by the product of their lengths.")
            }
        },

        "swift.clusters.crafted": { context, _ in
            let probes: SwiftProbes
            switch Self.probes(context) { case .success(let p): probes = p; case .failure(let v): return v.verdict }
            var wrong: [String] = []
            for (c, answer) in zip(SwiftProbeInputs.similarityCases, probes.clusterCases) {
                let n = c.matrix.count
                let want = thresholdClusters(similarity: c.matrix.flatMap { $0 }, count: n, threshold: c.threshold).labels
                switch answer {
                case .failure(let e): wrong.append("\(c.name): \(e.problem.message)")
                case .success(let got):
                    if got.count != n || !samePartition(got, want) {
                        wrong.append("\(c.name): got \(got), expected the partition \(want)")
                    }
                }
            }
            let total = SwiftProbeInputs.similarityCases.count
            if wrong.isEmpty && probes.clusterCases.count == total { return .pass("all \(total) crafted matrices clustered right") }
            return .partial(
                Double(total - wrong.count) / Double(total), "clusters(similarity:threshold:) is wrong on \(plural(wrong.count, "crafted matrix"))",
                details: wrong.joined(separator: "\n"),
                hint: "Link i and j when similarity > threshold (strictly), then follow links transitively: the clusters are connected components.")
        },

        "swift.splits.whole_clusters": { context, spec in
            let tolerance = try spec.number("tolerance", default: 0.15)
            let probes: SwiftProbes
            switch Self.probes(context) { case .success(let p): probes = p; case .failure(let v): return v.verdict }
            var wrong: [String] = []
            for (c, answer) in zip(SwiftProbeInputs.splitCases, probes.splitCases) {
                let label = "seed \(c.seed), fraction \(c.fraction)"
                switch answer {
                case .failure(let e): wrong.append("\(label): \(e.problem.message)")
                case .success(let isTest):
                    guard isTest.count == c.clusters.count else {
                        wrong.append("\(label): \(isTest.count) flags for \(c.clusters.count) proteins")
                        continue
                    }
                    let shared = sharedClusters(clusterLabels: c.clusters, isTest: isTest)
                    let tests = isTest.filter { $0 }.count
                    let proteinShare = Double(tests) / Double(isTest.count)
                    let testClusters = Set(c.clusters.indices.filter { isTest[$0] }.map { c.clusters[$0] })
                    let clusterShare = Double(testClusters.count) / Double(Set(c.clusters).count)
                    if !shared.isEmpty {
                        wrong.append("\(label): clusters \(shared.sorted()) have members on both sides")
                    } else if tests == 0 || tests == isTest.count {
                        wrong.append("\(label): one side of the split is empty")
                    } else if abs(proteinShare - c.fraction) > tolerance && abs(clusterShare - c.fraction) > tolerance {
                        wrong.append("\(label): \(tests) of \(isTest.count) proteins in test, far from the fraction")
                    }
                }
            }
            let total = SwiftProbeInputs.splitCases.count
            if wrong.isEmpty && probes.splitCases.count == total { return .pass("every cluster stayed whole in all \(total) cases") }
            return .partial(
                Double(total - wrong.count) / Double(total), "clusteredSplit is wrong in \(plural(wrong.count, "case"))",
                details: wrong.joined(separator: "\n"),
                hint: "Shuffle the distinct cluster ids with the seed, pick clusters for the test set, and put every member of a picked cluster in test.")
        },

        "swift.accuracy.values": { context, _ in
            let probes: SwiftProbes
            switch Self.probes(context) { case .success(let p): probes = p; case .failure(let v): return v.verdict }
            switch probes.accuracy {
            case .failure(let e): return unusable(e.problem)
            case .success(let a):
                let probe = SwiftProbeInputs.accuracyCase
                let want = accuracy(probe.truth, probe.predicted)
                if abs(a - want) < 1e-9 { return .pass("accuracy \(a) on the crafted case") }
                let right = zip(probe.truth, probe.predicted).filter { $0 == $1 }.count
                return .fail(
                    "accuracy(truth:predicted:) returned \(a) on \(probe.truth.count) predictions with \(right) right",
                    hint: "Accuracy is the share of predictions equal to the truth: a fraction between 0 and 1.")
            }
        },
    ]
}

/// A verdict carried through a `Result`.
struct VerdictError: Error {
    let verdict: Verdict
    init(_ verdict: Verdict) { self.verdict = verdict }
}
