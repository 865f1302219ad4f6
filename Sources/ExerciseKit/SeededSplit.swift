/// How ``SeededSplit/clustered(clusters:testFraction:seed:mode:)`` chooses the test clusters.
public enum ClusteredSplitMode: Sendable, Equatable {
    /// Aim at a share of proteins: visit the clusters in seeded random order and put a cluster in test whenever
    /// adding it brings the test size closer to `testFraction × proteins` (others stay in train). Lands close
    /// to the requested fraction unless one cluster is huge. Belay's reference uses this mode.
    case proteinFraction
    /// Aim at a share of clusters, as the course's notebook does: `round(testFraction × clusterCount)` cluster
    /// ids, drawn at random, go to test, whatever their sizes. The share of proteins then varies a lot.
    case clusterFraction
}

/// The reference rules of seeded train/test splits: the functions Belay's own reference runs call, published here so
/// that a student's module can reproduce Belay's split exactly from a seed. `true` marks a test item.
///
/// Every rule draws from one ``SeededGenerator`` made from the seed; nothing else is random.
public enum SeededSplit {
    /// A random train/test split of `count` items.
    ///
    /// The test set has `ceil(testFraction × count)` items, as scikit-learn's `train_test_split` rounds.
    /// Without `stratifyBy`, the first that many items of `SeededGenerator(seed: seed).shuffle` of `0..<count` are
    /// the test set. With `stratifyBy` (a class per item), each class contributes its share: `testFraction × size`
    /// rounded down, then the items left over go to the classes with the largest remainders (ties: smaller class
    /// id); the members of each class (in item order) are shuffled with the same generator, classes in increasing
    /// id order, and the first members of each class's shuffle go to test.
    ///
    /// - Precondition: `0 <= testFraction <= 1`; `stratifyBy`, when given, has `count` entries.
    /// - Complexity: O(*n* log *n*) with stratification, O(*n*) without.
    public static func random(count: Int, testFraction: Double, seed: UInt64, stratifyBy: [Int]? = nil) -> [Bool] {
        precondition(testFraction >= 0 && testFraction <= 1, "testFraction \(testFraction) outside 0...1")
        let testCount = min(count, Int((testFraction * Double(count)).rounded(.up)))
        var isTest = [Bool](repeating: false, count: count)
        var generator = SeededGenerator(seed: seed)
        guard let strata = stratifyBy else {
            var order = Array(0..<count)
            generator.shuffle(&order)
            for i in order.prefix(testCount) { isTest[i] = true }
            return isTest
        }
        precondition(strata.count == count, "stratifyBy has \(strata.count) entries for \(count) items")
        var membersOf: [Int: [Int]] = [:]
        for (i, c) in strata.enumerated() { membersOf[c, default: []].append(i) }
        let groups = membersOf.sorted { $0.key < $1.key }.map(\.value)  // classes in increasing id order
        let exact = groups.map { testFraction * Double($0.count) }
        var quota = exact.map { Int($0.rounded(.down)) }
        var remaining = testCount - quota.reduce(0, +)
        let byRemainder = groups.indices.sorted { a, b in
            let ra = exact[a] - Double(quota[a]), rb = exact[b] - Double(quota[b])
            return ra != rb ? ra > rb : a < b
        }
        for k in byRemainder where remaining > 0 && quota[k] < groups[k].count {
            quota[k] += 1
            remaining -= 1
        }
        for (k, group) in groups.enumerated() {
            var members = group
            generator.shuffle(&members)
            for i in members.prefix(quota[k]) { isTest[i] = true }
        }
        return isTest
    }

    /// A clustered train/test split: every cluster lies entirely in train or entirely in test.
    ///
    /// `clusters[i]` is the cluster of item `i` (any integers). The distinct cluster ids, in increasing order, are
    /// shuffled with `SeededGenerator(seed: seed).shuffle`; `mode` then picks the test clusters (see
    /// ``ClusteredSplitMode``; Belay's reference uses ``ClusteredSplitMode/proteinFraction``).
    ///
    /// - Precondition: `0 <= testFraction <= 1`.
    /// - Complexity: O(*n* log *n*).
    public static func clustered(
        clusters: [Int], testFraction: Double, seed: UInt64, mode: ClusteredSplitMode = .proteinFraction
    ) -> [Bool] {
        precondition(testFraction >= 0 && testFraction <= 1, "testFraction \(testFraction) outside 0...1")
        var sizeOf: [Int: Int] = [:]
        for c in clusters { sizeOf[c, default: 0] += 1 }
        var order = sizeOf.keys.sorted()
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        var testClusters = Set<Int>()
        switch mode {
        case .clusterFraction:
            let k = Int((testFraction * Double(order.count)).rounded(.toNearestOrAwayFromZero))
            testClusters = Set(order.prefix(k))
        case .proteinFraction:
            let target = testFraction * Double(clusters.count)
            var size = 0
            for c in order {
                let s = sizeOf[c, default: 0]
                if abs(Double(size + s) - target) < abs(Double(size) - target) {
                    testClusters.insert(c)
                    size += s
                }
            }
        }
        return clusters.map { testClusters.contains($0) }
    }
}
