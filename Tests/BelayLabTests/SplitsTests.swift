import BelayLab
import Testing

@Suite struct SplitsTests {
    @Test func randomSplitIsDeterministicAndSizedLikeScikitLearn() {
        let a = randomSplit(count: 1654, testFraction: 0.2, seed: 0)
        #expect(a == randomSplit(count: 1654, testFraction: 0.2, seed: 0))
        #expect(a != randomSplit(count: 1654, testFraction: 0.2, seed: 1))
        #expect(a.count { $0 } == 331)  // ceil(0.2 * 1654)
        #expect(randomSplit(count: 10, testFraction: 0, seed: 0).count { $0 } == 0)
        #expect(randomSplit(count: 10, testFraction: 1, seed: 0).count { $0 } == 10)
        #expect(randomSplit(count: 0, testFraction: 0.2, seed: 0).isEmpty)
    }

    @Test func stratifiedSplitKeepsClassShares() {
        // 1128 / 379 / 147, as in the real labels.
        let labels = [Int](repeating: 1, count: 1128) + [Int](repeating: 0, count: 379) + [Int](repeating: 2, count: 147)
        let shuffled = seededShuffle(labels, seed: 9)
        let isTest = randomSplit(count: shuffled.count, testFraction: 0.2, seed: 5, stratifyBy: shuffled)
        #expect(isTest.count { $0 } == 331)
        var perClass = [0, 0, 0]
        for (l, t) in zip(shuffled, isTest) where t { perClass[l] += 1 }
        // Exact shares 75.8, 225.6, 29.4: floors 75, 225, 29 (=329), the 2 left go to the largest remainders.
        #expect(perClass == [76, 226, 29])
        #expect(isTest == randomSplit(count: shuffled.count, testFraction: 0.2, seed: 5, stratifyBy: shuffled))
        #expect(isTest != randomSplit(count: shuffled.count, testFraction: 0.2, seed: 6, stratifyBy: shuffled))
    }

    /// Cluster labels with a skewed size distribution (many singletons, a few clusters of up to 40), shuffled.
    func skewedClusters(_ n: Int, seed: UInt64) -> [Int] {
        var g = SeededGenerator(seed: seed)
        var labels: [Int] = []
        var id = 0
        while labels.count < n {
            let size = 1 + g.nextIndex(below: 1 + g.nextIndex(below: 40))
            labels += [Int](repeating: id, count: min(size, n - labels.count))
            id += 1
        }
        return seededShuffle(labels, seed: seed)
    }

    @Test(arguments: [0.1, 0.2, 0.3, 0.5])
    func clusteredSplitNeverSharesAClusterAndLandsNearTheFraction(fraction: Double) {
        for seed in 0..<25 {
            let labels = skewedClusters(1000, seed: UInt64(seed))
            let isTest = clusteredSplit(clusterLabels: labels, testFraction: fraction, seed: UInt64(seed))
            #expect(sharedClusters(clusterLabels: labels, isTest: isTest).isEmpty)
            let share = Double(isTest.count { $0 }) / 1000
            // The greedy rule ends within half the largest cluster of the target.
            let largest = clusters(fromLabels: labels).stats.largest
            #expect(abs(share * 1000 - fraction * 1000) <= Double(largest) / 2 + 1e-9, "seed \(seed): share \(share)")
            #expect(abs(share - fraction) < 0.02, "seed \(seed): share \(share)")
            #expect(isTest == clusteredSplit(clusterLabels: labels, testFraction: fraction, seed: UInt64(seed)))
        }
    }

    @Test func giantClusterBoundsHowCloseTheSplitCanGet() {
        // One cluster holds 17% of the items: the split stays within half of it from the target, never shares.
        var labels = [Int](repeating: 0, count: 170)
        labels += (1...830).map { 1 + $0 / 3 }
        for seed in 0..<20 {
            let isTest = clusteredSplit(clusterLabels: labels, testFraction: 0.1, seed: UInt64(seed))
            #expect(sharedClusters(clusterLabels: labels, isTest: isTest).isEmpty)
            #expect(abs(Double(isTest.count { $0 }) - 100) <= 85)
        }
    }

    @Test func clusterFractionModeTakesRoundedShareOfClusterIDs() {
        for seed in 0..<20 {
            let labels = skewedClusters(500, seed: UInt64(100 + seed))
            let clusterCount = Set(labels).count
            let isTest = clusteredSplit(clusterLabels: labels, testFraction: 0.2, seed: UInt64(seed),
                                        mode: .clusterFraction)
            #expect(sharedClusters(clusterLabels: labels, isTest: isTest).isEmpty)
            let testClusters = Set(zip(labels, isTest).filter { $0.1 }.map { $0.0 })
            #expect(testClusters.count == Int((0.2 * Double(clusterCount)).rounded()))
        }
    }

    @Test func oneGiantClusterCannotBeSplit() {
        let labels = [Int](repeating: 0, count: 90) + Array(1...10)
        let isTest = clusteredSplit(clusterLabels: labels, testFraction: 0.2, seed: 1)
        #expect(sharedClusters(clusterLabels: labels, isTest: isTest).isEmpty)
        #expect(isTest.prefix(90).allSatisfy { !$0 }, "the 90-member cluster would overshoot 20% by far")
        #expect(isTest.count { $0 } == 10)
    }

    @Test func sharedClustersFindsLeaks() {
        #expect(sharedClusters(clusterLabels: [0, 0, 1, 1, 2], isTest: [true, false, true, true, false]) == [0])
        #expect(sharedClusters(clusterLabels: [], isTest: []).isEmpty)
    }
}
