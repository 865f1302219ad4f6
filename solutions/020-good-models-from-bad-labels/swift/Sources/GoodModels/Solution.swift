import GoodModelsKit

/// Route 020's reference solution in Swift: the rules of Belay's own reference run.
public struct Solution: GoodModelsExercises {
    public init() {}

    public func split(classes: [Int], testFraction: Double, seed: UInt64) -> [Bool] {
        // Belay's own rule, from ExerciseKit: a stratified split, the same for the same seed.
        SeededSplit.random(count: classes.count, testFraction: testFraction, seed: seed, stratifyBy: classes)
    }

    public func noisyLabels(classes: [Int], isTest: [Bool], classCount: Int, rate: Double, seed: UInt64) -> [Int] {
        guard classCount > 1 else { return classes }
        var generator = SeededGenerator(seed: seed)
        var training = classes.indices.filter { !isTest[$0] }
        generator.shuffle(&training)
        var noisy = classes
        // round(rate × n) training proteins, each moved to one of the other classes, drawn uniformly.
        for i in training.prefix(Int((rate * Double(training.count)).rounded())) {
            noisy[i] = (classes[i] + 1 + generator.nextIndex(below: classCount - 1)) % classCount
        }
        return noisy
    }

    public func accuracy(truth: [Int], predicted: [Int]) -> Double {
        guard !truth.isEmpty, truth.count == predicted.count else { return 0 }
        return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
    }

    public var features: String { "embeddings" }
}
