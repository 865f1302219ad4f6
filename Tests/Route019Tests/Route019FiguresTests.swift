import BelayGrading
import BelayLab
import BelayReports
import BelayTestSupport
import Foundation
import Route019
import Testing

@Suite struct Route019FiguresTests {
    /// The reference submission's four pictures: bounded, consistent with the files they draw, deterministic, and
    /// drawn by the HTML page under Exercise 3.
    @Test func referenceSubmissionGetsFourBoundedFigures() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let report = await grade(folder, audience: .student)
        let figures = try #require(report.figures)
        #expect(figures.map(\.id) == ["ex3.similarity", "ex3.cluster-sizes", "ex3.accuracies", "ex3.homology-audit"])
        #expect(figures.allSatisfy { $0.exercise == "ex3" && $0.hasData })
        let proteins = sharedReference.alignedIDs.count

        let similarity = figures[0]
        #expect(similarity.kind == .histogram && similarity.edges.count - 1 <= 50 && similarity.edges.last == 1)
        #expect(zip(similarity.edges, similarity.edges.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Int(similarity.series[0].counts.reduce(0, +)) == proteins * (proteins - 1) / 2)
        #expect(similarity.markers.map(\.value) == [Double(sharedReference.threshold)])

        let sizes = figures[1]
        let noteProteins = sizes.bars.compactMap { bar in
            bar.note.flatMap { note in Int(note.split(separator: "(")[1].split(separator: " ")[0]) }
        }
        #expect(noteProteins.reduce(0, +) == proteins)
        #expect(Int(sizes.bars.map(\.value).reduce(0, +)) == sharedReference.clustering.stats.count)

        let accuracies = figures[2]
        #expect(accuracies.intervals.map(\.label).count == 4)
        #expect(accuracies.intervals.allSatisfy { $0.low <= $0.high && (0...1).contains($0.low) && (0...1).contains($0.high) })
        #expect(accuracies.intervals[0].value != nil && accuracies.intervals[2].value != nil)
        #expect(accuracies.intervals[3].rangeLabel.contains("over \(Route019Figures.repeatedSeeds.count) seeds"))

        let audit = figures[3]
        #expect(audit.series.count == 2 && audit.edges.count == 41)
        let random = sharedReference.randomIsTest.count { $0 }, clustered = sharedReference.clusteredIsTest.count { $0 }
        #expect(audit.series.map { Int($0.counts.reduce(0, +)) } == [random, clustered])
        // The clustered split has no test protein above the threshold; the bins above it are empty.
        let t = Double(sharedReference.threshold)
        let above = audit.edges.indices.dropLast().filter { audit.edges[$0] > t }
        #expect(above.allSatisfy { audit.series[1].counts[$0] == 0 })
        #expect(above.contains { audit.series[0].counts[$0] > 0 })

        // Deterministic: grading again gives the same figures, and the page the same bytes.
        let again = await grade(folder, audience: .student)
        #expect(again.figures == report.figures)
        #expect(HTMLReport.render(again) == HTMLReport.render(report))
        let decoded = try JSONReport.decode(Data(JSONReport.render(report, reproducible: true).utf8))
        #expect(decoded.figures == report.figures)
        #expect(HTMLReport.render(report).components(separatedBy: "<svg ").count - 1 == 4)
    }

    /// A submission without the files a figure needs loses that figure, never the report.
    @Test func missingFilesLeaveTheirFiguresOut() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        try folder.remove("clusters.csv")
        try folder.remove("metrics.csv")
        let report = await grade(folder, audience: .student)
        // splits.csv still places the proteins: the similarity distribution (reference threshold) and the audit.
        #expect(report.figures?.map(\.id) == ["ex3.similarity", "ex3.homology-audit"])
        try folder.remove("splits.csv")
        #expect(await grade(folder, audience: .student).figures == nil)
    }

    /// The blockwise pairwise histogram counts exactly what the full similarity matrix holds.
    @Test(arguments: [1, 3, 64]) func pairwiseHistogramMatchesTheFullMatrix(blockRows: Int) {
        var rng = SeededGenerator(seed: 7)
        let n = 37, d = 5
        let values = (0..<(n * d)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
        let m = EmbeddingMatrix(count: n, dimension: d, values: values)
        let full = cosineSimilarityMatrix(m)
        var expected = [Int](repeating: 0, count: 20)
        for i in 0..<n {
            for j in (i + 1)..<n {
                expected[min(19, max(0, Int(((full[i * n + j] + 1) * 10).rounded(.down))))] += 1
            }
        }
        let counts = pairwiseSimilarityHistogram(m, bins: 20, blockRows: blockRows)
        #expect(counts.reduce(0, +) == n * (n - 1) / 2)
        // Float rounding may move a value sitting on a bin edge by one bin; totals per half stay put.
        #expect(zip(counts, expected).map { abs($0 - $1) }.reduce(0, +) <= 2)
    }
}
