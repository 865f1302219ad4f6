import BelayGrading
import BelayLab
import Foundation
import Route019
import Testing

/// Whole clusters come in lumps: `ex3.splits.fraction` accepts a clustered test set far from the fraction when no
/// single cluster could have been moved to land nearer, and still refuses one that is far off by choice.
@Suite("Clustered test fraction by whole clusters")
struct SplitFractionTests {
    /// The reference submission re-clustered at `threshold`, with the clustered split's test set chosen by
    /// `isTest(clusterLabel, clusterSize)` and the declared fraction `fraction`.
    func submission(
        threshold: Float, fraction: Double, isTest: (_ label: Int, _ size: Int, _ rank: Int) -> Bool
    ) throws -> SubmissionFolder {
        let folder = try SubmissionFolder.reference()
        let reference = sharedReference
        let labels = reference.clustering(at: threshold).labels
        let sizes = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
        let rankOf = Dictionary(
            uniqueKeysWithValues: sizes.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .enumerated().map { ($0.element.key, $0.offset) })
        try folder.editCSV("clusters.csv") { _, row, _ in
            guard let i = reference.alignedIndexByID[row[0]] else { return row }
            return [row[0], String(labels[i])]
        }
        // The random split holds the declared fraction too (every tenth protein's first `fraction` tenths).
        try folder.editCSV("splits.csv") { _, row, index in
            guard let i = reference.alignedIndexByID[row[0]] else { return row }
            let l = labels[i]
            let random = Double(index % 10) < fraction * 10 ? "test" : "train"
            return [row[0], random, isTest(l, sizes[l]!, rankOf[l]!) ? "test" : "train"]
        }
        try folder.setMetric("similarity_threshold", String(threshold))
        try folder.setMetric("test_fraction", String(fraction))
        return folder
    }

    @Test func oneGiantComponentInTestIsAcceptedThoughItOvershoots() async throws {
        // At 0.8 one component holds 91% of the labelled proteins: a cluster-id split that draws it overshoots.
        let folder = try submission(threshold: 0.8, fraction: 0.2) { _, _, rank in rank == 0 || rank % 5 == 1 }
        defer { folder.cleanup() }
        let report = await grade(folder)
        #expect(report.result("ex3.splits.fraction")?.outcome == .passed, "\(report.result("ex3.splits.fraction")?.details ?? "")")
        #expect(report.result("ex3.clustered_split.no_shared_clusters")?.outcome == .passed)
    }

    @Test func everythingButTheGiantIsAcceptedThoughItUndershoots() async throws {
        // Adding clusters until the share is reached, skipping any that would overshoot: all but the giant.
        let folder = try submission(threshold: 0.8, fraction: 0.3) { _, _, rank in rank != 0 }
        defer { folder.cleanup() }
        let report = await grade(folder)
        #expect(report.result("ex3.splits.fraction")?.outcome == .passed, "\(report.result("ex3.splits.fraction")?.details ?? "")")
    }

    @Test func manySmallClustersFarOverTheFractionAreRefused() async throws {
        // At 0.9 clusters are small: a test set of about 60% of the proteins is a choice, not a lump.
        let folder = try submission(threshold: 0.9, fraction: 0.2) { label, _, rank in rank != 0 && label % 5 < 3 }
        defer { folder.cleanup() }
        let report = await grade(folder)
        let result = try #require(report.result("ex3.splits.fraction"))
        #expect(result.outcome == .failed)
        #expect(result.message.contains("clustered test set"))
    }
}
