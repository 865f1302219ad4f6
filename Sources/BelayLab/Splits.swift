// Train/test splits: random (optionally stratified) and clustered (whole clusters on one side).
//
// A random split puts near-duplicate proteins on both sides, so the test set rewards memorizing homologs.
// A clustered split assigns whole similarity clusters to one side, so no test protein has a close relative
// (by the clustering's definition) in training. All randomness is `SeededGenerator`, so a seed fixes the split.

/// How `clusteredSplit` chooses the test clusters.
public enum ClusteredSplitMode: Sendable, Equatable {
    /// Aim at a share of proteins: visit the clusters in seeded random order and put a cluster in test whenever
    /// adding it brings the test size closer to `testFraction x proteins` (others stay in train). Lands close
    /// to the requested fraction unless one cluster is huge.
    case proteinFraction
    /// Aim at a share of clusters, as the course's notebook does: `round(testFraction x clusterCount)` cluster
    /// ids, drawn at random, go to test, whatever their sizes. The share of proteins then varies a lot.
    case clusterFraction
}

/// A random train/test split: `isTest[i]` for each of `count` items.
///
/// The test set has `ceil(testFraction x count)` items, as scikit-learn's `train_test_split` rounds.
/// Without `stratifyBy`, the first that many items of a seeded shuffle of `0..<count` are the test set.
/// With `stratifyBy` (a class per item), each class contributes its share: `testFraction x classSize` rounded
/// down, then the items left over go to the classes with the largest remainders (ties: smaller class id);
/// within each class the members are shuffled with the same generator, classes in increasing id order.
/// - Complexity: O(count log count) with stratification, O(count) without.
public func randomSplit(count: Int, testFraction: Double, seed: UInt64, stratifyBy: [Int]? = nil) -> [Bool] {
    precondition(testFraction >= 0 && testFraction <= 1, "testFraction \(testFraction) outside 0...1")
    let testCount = min(count, Int((testFraction * Double(count)).rounded(.up)))
    var isTest = [Bool](repeating: false, count: count)
    var generator = SeededGenerator(seed: seed)
    guard let strata = stratifyBy else {
        var order = Array(0..<count)
        seededShuffle(&order, using: &generator)
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
        seededShuffle(&members, using: &generator)
        for i in members.prefix(quota[k]) { isTest[i] = true }
    }
    return isTest
}

/// A clustered train/test split: every cluster lies entirely in train or entirely in test.
///
/// `clusterLabels[i]` is the cluster of item i (any integers). The distinct cluster ids, in increasing order,
/// are shuffled with `seed`; `mode` then picks the test clusters (see `ClusteredSplitMode`).
/// - Complexity: O(n log n).
public func clusteredSplit(clusterLabels: [Int], testFraction: Double, seed: UInt64,
                           mode: ClusteredSplitMode = .proteinFraction) -> [Bool] {
    precondition(testFraction >= 0 && testFraction <= 1, "testFraction \(testFraction) outside 0...1")
    var sizeOf: [Int: Int] = [:]
    for c in clusterLabels { sizeOf[c, default: 0] += 1 }
    let order = seededShuffle(sizeOf.keys.sorted(), seed: seed)
    var testClusters = Set<Int>()
    switch mode {
    case .clusterFraction:
        let k = Int((testFraction * Double(order.count)).rounded(.toNearestOrAwayFromZero))
        testClusters = Set(order.prefix(k))
    case .proteinFraction:
        let target = testFraction * Double(clusterLabels.count)
        var size = 0
        for c in order {
            let s = sizeOf[c, default: 0]
            if abs(Double(size + s) - target) < abs(Double(size) - target) {
                testClusters.insert(c)
                size += s
            }
        }
    }
    return clusterLabels.map { testClusters.contains($0) }
}

/// The clusters with members on both sides of a split: empty for a proper clustered split, and for a random
/// split the measure of how much homology leaks across.
/// - Complexity: O(n).
public func sharedClusters(clusterLabels: [Int], isTest: [Bool]) -> Set<Int> {
    precondition(clusterLabels.count == isTest.count, "sharedClusters: lengths differ")
    var inTest = Set<Int>(), inTrain = Set<Int>()
    for (c, t) in zip(clusterLabels, isTest) {
        if t { inTest.insert(c) } else { inTrain.insert(c) }
    }
    return inTest.intersection(inTrain)
}
