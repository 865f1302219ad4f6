// Generated from Sources/Route020Kit by Route020Tests (BELAY_RECORD=1 swift test --filter embeddedGoodModelsKit). Do not edit.

/// The sources of the module, embedded so that `belay` can compile it for student modules wherever it
/// runs (no source checkout needed).
enum GoodModelsKitSources {
    /// File names and contents, sorted by name.
    static let files: [(name: String, text: String)] = [
        (
            "GoodModelsExercises.swift",
            #####"""
@_exported import ExerciseKit

/// What you implement for Route 020, "Good Models from Bad Labels": one function per step.
///
/// Write one type (a `struct` is fine) in your package that conforms to this protocol:
///
/// ```swift
/// import GoodModelsKit
///
/// public struct Solution: GoodModelsExercises {
///     public init() {}
///     public func split(classes: [Int], testFraction: Double, seed: UInt64) -> [Bool] { ... }
///     // ... one function per step
/// }
/// ```
///
/// The grader builds your package, creates your type with `init()` and calls each function with the course data,
/// one call at a time in a separate process: a call that crashes or never returns fails that step only. Your
/// functions receive inputs only, never the expected answers. Proteins are numbered in the order of the sheet's
/// cleaned proteins and classes are codes `0..<classCount` (`cytoplasm`, `membrane`, `secreted` sorted).
///
/// Belay trains the classifier itself (standardized logistic regression, C = 0.01, on the features you name in
/// ``features``) on your noisy training labels at every rate, and scores its test predictions with your
/// ``accuracy(truth:predicted:)``: that is your curve.
public protocol GoodModelsExercises {
    /// Creates your solution. Keep it cheap: it runs once per call.
    init()

    /// Step 1: a random train/test split of the proteins whose classes are `classes`: `true` marks a test protein.
    ///
    /// Any seeded random split with a test share of `testFraction` is accepted (stratifying by class is a good idea);
    /// the same inputs must always give the same split. Belay's reference rule is
    /// `SeededSplit.random(count: classes.count, testFraction: testFraction, seed: seed, stratifyBy: classes)`.
    func split(classes: [Int], testFraction: Double, seed: UInt64) -> [Bool]

    /// Step 2: the labels of the experiment at noise rate `rate`: a copy of `classes` in which `round(rate × n)` of
    /// the `n` training proteins (`isTest[i] == false`), chosen at random, get a **different** class drawn uniformly
    /// from the other `classCount − 1` (flipping each training label with probability `rate` is fine too).
    ///
    /// Test labels are never touched; at rate 0 nothing changes. `seed` differs from rate to rate; use
    /// ``SeededGenerator`` so that the same inputs always give the same labels.
    func noisyLabels(classes: [Int], isTest: [Bool], classCount: Int, rate: Double, seed: UInt64) -> [Int]

    /// Step 3: the fraction of positions where `predicted` equals `truth` (two arrays of the same length).
    func accuracy(truth: [Int], predicted: [Int]) -> Double

    /// Step 3: the features Belay trains on for your curve: `"embeddings"` (the default, recommended) or
    /// `"hand-made"` (length + 20 amino-acid counts).
    var features: String { get }

    /// Step 4: your three reflection answers (``Reflection/q1`` to ``Reflection/q3``; `q4` is not read).
    ///
    /// The default implementation reads `Reflection.md` at the root of your package (headings `## Q1` to `## Q3`).
    var reflection: Reflection { get }
}

extension GoodModelsExercises {
    /// The recommended features: `"embeddings"`.
    public var features: String { "embeddings" }

    /// Reads `Reflection.md` from the current directory (your package root, or the grader's copy of it).
    public var reflection: Reflection {
        Reflection(contentsOfFile: Reflection.fileName) ?? Reflection(q1: "", q2: "", q3: "", q4: "")
    }
}

/// Route 020's catalogue: ``GoodModelsExercises``'s functions, one task each, and their wire types.
public enum GoodModelsCatalogue: ExerciseCatalogue {
    public typealias Solution = any GoodModelsExercises

    /// The tasks, one per requirement of ``GoodModelsExercises``.
    public enum Task: String, Codable, CaseIterable, Sendable {
        case split, noisyLabels, accuracy, features, reflection
    }

    /// The inputs of one task (never an expected answer).
    public enum Input: Codable, Hashable, Sendable {
        case split(classes: [Int], testFraction: Double, seed: UInt64)
        case noisyLabels(classes: [Int], isTest: [Bool], classCount: Int, rate: Double, seed: UInt64)
        case accuracy(truth: [Int], predicted: [Int])
        case features
        case reflection
    }

    /// What the student's function returned, as returned.
    public enum Output: Codable, Hashable, Sendable {
        case split([Bool])
        case noisyLabels([Int])
        case accuracy(Double)
        case features(String)
        case reflection(Reflection)
    }

    public static let protocolName = "GoodModelsExercises"

    public static func describe(_ task: Task) -> TaskDescription {
        switch task {
        case .split: TaskDescription(signature: "split(classes:testFraction:seed:)", answer: "[Bool]: true for test")
        case .noisyLabels:
            TaskDescription(
                signature: "noisyLabels(classes:isTest:classCount:rate:seed:)", answer: "[Int]: a class code per protein")
        case .accuracy: TaskDescription(signature: "accuracy(truth:predicted:)", answer: "Double")
        case .features: TaskDescription(signature: "features", answer: "String: embeddings or hand-made")
        case .reflection: TaskDescription(signature: "reflection", answer: "Reflection: three answers")
        }
    }

    public static func task(of input: Input) -> Task {
        switch input {
        case .split: .split
        case .noisyLabels: .noisyLabels
        case .accuracy: .accuracy
        case .features: .features
        case .reflection: .reflection
        }
    }

    public static func task(of output: Output) -> Task {
        switch output {
        case .split: .split
        case .noisyLabels: .noisyLabels
        case .accuracy: .accuracy
        case .features: .features
        case .reflection: .reflection
        }
    }

    public static func answer(_ input: Input, with solution: any GoodModelsExercises) -> Output {
        switch input {
        case .split(let classes, let testFraction, let seed):
            .split(solution.split(classes: classes, testFraction: testFraction, seed: seed))
        case .noisyLabels(let classes, let isTest, let classCount, let rate, let seed):
            .noisyLabels(
                solution.noisyLabels(classes: classes, isTest: isTest, classCount: classCount, rate: rate, seed: seed))
        case .accuracy(let truth, let predicted): .accuracy(solution.accuracy(truth: truth, predicted: predicted))
        case .features: .features(solution.features)
        case .reflection: .reflection(solution.reflection)
        }
    }
}

"""#####
        ),
    ]
}
