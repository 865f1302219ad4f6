@testable import BelayLab
import BelayTestSupport
import Foundation
import Testing

@Suite struct SingleLinkageTests {
    /// Embeddings with what makes thresholds hard: planted groups, exact duplicate rows, rows of small integers
    /// (many exactly equal cosines), a zero row (cosine 0 with everything) and, when asked, a row with a NaN
    /// (NaN cosines, never a link).
    static func awkwardEmbeddings(count: Int, seed: UInt64, withNaN: Bool = false) -> EmbeddingMatrix {
        let d = 6
        guard count > 0 else { return EmbeddingMatrix(count: 0, dimension: d, values: []) }
        var m = Fixtures.clusteredEmbeddings(
            count: count, dimension: d, groups: max(1, count / 6), noise: 0.35, seed: seed)
        var g = SeededGenerator(seed: seed &+ 100)
        func setRow(_ i: Int, _ row: [Float]) { for k in 0..<d { m.values[i * d + k] = row[k] } }
        for i in 0..<count {
            switch g.nextIndex(below: 10) {
            case 0 where i > 0: setRow(i, Array(m.row(g.nextIndex(below: i))))  // a duplicate of an earlier row
            case 1: setRow(i, (0..<d).map { _ in Float(g.nextIndex(below: 3)) })  // small integers: ties
            default: break
            }
        }
        if count > 2 { setRow(count / 2, [Float](repeating: 0, count: d)) }
        if withNaN, count > 3 { m.values[(count - 1) * d + 2] = .nan }
        return m
    }

    /// The floats the linkage holds for pairs, back from their keys.
    static func pairValues(_ linkage: SingleLinkage) -> [Float] {
        linkage.sortedKeys.map { k in
            Float(bitPattern: k & 0x8000_0000 != 0 ? k & 0x7FFF_FFFF : ~k)
        }
    }

    /// Thresholds around and exactly at the pairs' own similarities, and far outside [-1, 1].
    static func thresholds(_ linkage: SingleLinkage) -> [Float] {
        var out: [Float] = [
            -.infinity, -2, -1, -0.5, -0.0, 0, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 1, 1.0000001, 1.5, .infinity, .nan,
        ]
        let values = pairValues(linkage)
        let step = max(1, values.count / 25)
        for i in stride(from: 0, to: values.count, by: step) {
            out += [values[i], values[i].nextUp, values[i].nextDown]
        }
        out += linkage.forestWeights.prefix(20)
        return out
    }

    @Test(arguments: [0, 1, 2, 3, 5, 13, 40, 150], [UInt64(1), 2, 3])
    func equalsThresholdClustersAtEveryThreshold(count: Int, seed: UInt64) throws {
        for withNaN in [false, true] {
            let m = Self.awkwardEmbeddings(count: count, seed: seed, withNaN: withNaN)
            for blockRows in [1, 7, 256] {
                let linkage = try #require(SingleLinkage(m, blockRows: blockRows))
                #expect(linkage.count == count)
                #expect(linkage.forestWeights.count <= max(0, count - 1))
                for t in Self.thresholds(linkage) {
                    let expected = thresholdClusters(m, threshold: t, blockRows: blockRows)
                    let derived = linkage.clustering(threshold: t)
                    #expect(derived == expected, "n \(count), seed \(seed), NaN row \(withNaN), blocks \(blockRows), t \(t)")
                    #expect(linkage.edgeCount(threshold: t) == expected.edgeCount)
                }
            }
        }
    }

    @Test func exactTiesAndStrictThreshold() throws {
        // Three identical directions and one orthogonal: the pairs tie at exactly 1 (or one float of it) and 0.
        let m = EmbeddingMatrix(count: 4, dimension: 2, values: [1, 0, 2, 0, 3, 0, 0, 5])
        let linkage = try #require(SingleLinkage(m))
        for t: Float in [-0.0, 0, 0.5, 1, 0.99999994] {
            #expect(linkage.clustering(threshold: t) == thresholdClusters(m, threshold: t))
        }
        #expect(linkage.clustering(threshold: 0).labels == [0, 0, 0, 1])
        #expect(linkage.clustering(threshold: 0).edgeCount == 3)
        #expect(linkage.clustering(threshold: -0.0).edgeCount == 3, "-0 and +0 are one threshold")
        #expect(linkage.clustering(threshold: -0.1).labels == [0, 0, 0, 0])
        #expect(linkage.clustering(threshold: -0.1).edgeCount == 6)
        #expect(linkage.clustering(threshold: 2).labels == [0, 1, 2, 3])
        #expect(linkage.clustering(threshold: .nan).edgeCount == 0)
    }

    @Test func zeroDimensionalRows() throws {
        // No values at all: `thresholdClusters` sees no pair, and neither does the linkage.
        let m = EmbeddingMatrix(count: 3, dimension: 0, values: [])
        let linkage = try #require(SingleLinkage(m))
        for t: Float in [-1, 0, 1] { #expect(linkage.clustering(threshold: t) == thresholdClusters(m, threshold: t)) }
    }

    @Test func onlyBuiltWithinThePairBudget() {
        let m = Self.awkwardEmbeddings(count: 5, seed: 9)  // 10 pairs
        #expect(SingleLinkage(m, pairBudget: 9) == nil)
        #expect(SingleLinkage(m, pairBudget: 10) != nil)
        #expect(SingleLinkage.pairCount(4096) <= SingleLinkage.defaultPairBudget)
        #expect(SingleLinkage.pairCount(4097) > SingleLinkage.defaultPairBudget)
        #expect(SingleLinkage.pairCount(0) == 0 && SingleLinkage.pairCount(1) == 0 && SingleLinkage.pairCount(2) == 1)
    }

    @Test func radixSortMatchesSort() {
        var g = SeededGenerator(seed: 5)
        let keys = (0..<5000).map { _ in UInt32(truncatingIfNeeded: g.next()) } + [0, .max, 7, 7, 7]
        for input in [keys, [], [3], [2, 1], [UInt32](repeating: 9, count: 50), keys.map { $0 >> 22 }, keys.map { $0 << 11 }] {
            var sorted = input, scratch = [UInt32](repeating: 0, count: input.count)
            SingleLinkage.radixSort(&sorted, scratch: &scratch)
            #expect(sorted == input.sorted())
        }
        let floats: [Float] = [-.infinity, -1, -0.5, -.leastNonzeroMagnitude, -0.0, 0, .leastNonzeroMagnitude, 0.5, 1, .infinity]
        let mapped = floats.map(SingleLinkage.key)
        #expect(mapped == mapped.sorted())
        #expect(SingleLinkage.key(-0.0) == SingleLinkage.key(0))
        #expect(Set(mapped).count == floats.count - 1)
    }

    /// Large enough that `thresholdClusters` runs its blocks on several workers: the linkage's pass writes the
    /// triangle from all of them.
    @Test func equalsThresholdClustersOnTheParallelPass() throws {
        let m = Fixtures.clusteredEmbeddings(count: 1500, dimension: 1000, groups: 200, noise: 1.2, seed: 11)
        #expect(Double(m.count) * Double(m.count) * Double(m.dimension) >= 2e9, "should take the parallel path")
        let linkage = try #require(SingleLinkage(m))
        let values = Self.pairValues(linkage)
        for t: Float in [0.5, values[values.count - 40], values[values.count - 3000]] {
            let expected = thresholdClusters(m, threshold: t)
            #expect(linkage.clustering(threshold: t) == expected)
        }
        #expect(linkage.edgeCount(threshold: values[values.count - 40]) < 40)
        #expect(linkage.clustering(threshold: values[values.count - 3000]).stats.count < m.count)
    }
}
