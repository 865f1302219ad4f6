// Train/test splits: random (optionally stratified) and clustered (whole clusters on one side).
//
// A random split puts near-duplicate proteins on both sides, so the test set rewards memorizing homologs.
// A clustered split assigns whole similarity clusters to one side, so no test protein has a close relative
// (by the clustering's definition) in training. All randomness is `SeededGenerator`, so a seed fixes the split.

// The rules themselves live in ExerciseKit (`SeededSplit`), which students link: Belay's split for a seed is the one
// a student computes with ExerciseKit's public API.
@_exported import enum ExerciseKit.ClusteredSplitMode
import enum ExerciseKit.SeededSplit

/// A random train/test split: `isTest[i]` for each of `count` items.
///
/// The test set has `ceil(testFraction x count)` items, as scikit-learn's `train_test_split` rounds.
/// Without `stratifyBy`, the first that many items of a seeded shuffle of `0..<count` are the test set.
/// With `stratifyBy` (a class per item), each class contributes its share: `testFraction x classSize` rounded
/// down, then the items left over go to the classes with the largest remainders (ties: smaller class id);
/// within each class the members are shuffled with the same generator, classes in increasing id order.
/// - Complexity: O(count log count) with stratification, O(count) without.
public func randomSplit(count: Int, testFraction: Double, seed: UInt64, stratifyBy: [Int]? = nil) -> [Bool] {
    SeededSplit.random(count: count, testFraction: testFraction, seed: seed, stratifyBy: stratifyBy)
}

/// A clustered train/test split: every cluster lies entirely in train or entirely in test.
///
/// `clusterLabels[i]` is the cluster of item i (any integers). The distinct cluster ids, in increasing order,
/// are shuffled with `seed`; `mode` then picks the test clusters (see `ClusteredSplitMode`).
/// - Complexity: O(n log n).
public func clusteredSplit(clusterLabels: [Int], testFraction: Double, seed: UInt64,
                           mode: ClusteredSplitMode = .proteinFraction) -> [Bool] {
    SeededSplit.clustered(clusters: clusterLabels, testFraction: testFraction, seed: seed, mode: mode)
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
