import GoodModelsKit

/// Your solution: implement every function. Their exact rules are documented on `GoodModelsExercises`.
public struct Solution: GoodModelsExercises {
    public init() {}

    public func split(classes: [Int], testFraction: Double, seed: UInt64) -> [Bool] {
        // TODO: true for test proteins, chosen at random with SeededGenerator(seed:); about testFraction of them.
        []
    }

    public func noisyLabels(classes: [Int], isTest: [Bool], classCount: Int, rate: Double, seed: UInt64) -> [Int] {
        // TODO: a copy of `classes` where round(rate × training proteins) training labels, chosen at random,
        // get a different class. Never touch a test label.
        []
    }

    public func accuracy(truth: [Int], predicted: [Int]) -> Double {
        // TODO: the share of positions where predicted equals truth.
        0
    }

    // `features` is "embeddings" unless you return "hand-made" here:
    // public var features: String { "hand-made" }
}
