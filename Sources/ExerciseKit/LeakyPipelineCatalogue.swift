// Route 019's catalogue: the tasks of `LeakyPipelineExercises` and their wire types. Route 019 predates per-route
// kits, so its exercise protocol and catalogue stay in ExerciseKit (students' packages `import ExerciseKit` only);
// a later route ships its own kit module beside ExerciseKit (see Route 020's `GoodModelsKit`).

/// The tasks of Route 019 a student's module answers, one per function of ``LeakyPipelineExercises``.
public enum ExerciseTask: String, Codable, CaseIterable, Sendable {
    case features, cleanLocation, encodeLabels, cosineSimilarity, clusters, clusteredSplit, randomSplit, accuracy,
        reflection
}

/// The inputs of one task: what the grader passes to the student's function (never an expected answer).
///
/// Per-item tasks (`features`, `cleanLocation`) carry every item; the harness calls the function once per item.
public enum TaskInput: Codable, Sendable, Hashable {
    case features(sequences: [String])
    case cleanLocation(texts: [String])
    case encodeLabels(labels: [String])
    case cosineSimilarity(embeddings: FloatRows)
    case clusters(similarity: FloatRows, threshold: Float)
    case clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64)
    case randomSplit(count: Int, testFraction: Double, seed: UInt64)
    case accuracy(truth: [Int], predicted: [Int])
    case reflection

    /// The task these inputs are for.
    public var task: ExerciseTask {
        switch self {
        case .features: .features
        case .cleanLocation: .cleanLocation
        case .encodeLabels: .encodeLabels
        case .cosineSimilarity: .cosineSimilarity
        case .clusters: .clusters
        case .clusteredSplit: .clusteredSplit
        case .randomSplit: .randomSplit
        case .accuracy: .accuracy
        case .reflection: .reflection
        }
    }
}

/// What the student's function returned for one task, as returned (no checking, no rounding).
public enum TaskOutput: Codable, Sendable, Hashable {
    /// One feature vector per input sequence.
    case features([[Int]])
    /// One cleaned label (or `nil`) per input text.
    case cleanLocation([String?])
    case encodeLabels([String: Int])
    case cosineSimilarity(FloatRows)
    case clusters([Int])
    case clusteredSplit([Bool])
    case randomSplit([Bool])
    case accuracy(Double)
    case reflection(Reflection)

    /// The task this output answers.
    public var task: ExerciseTask {
        switch self {
        case .features: .features
        case .cleanLocation: .cleanLocation
        case .encodeLabels: .encodeLabels
        case .cosineSimilarity: .cosineSimilarity
        case .clusters: .clusters
        case .clusteredSplit: .clusteredSplit
        case .randomSplit: .randomSplit
        case .accuracy: .accuracy
        case .reflection: .reflection
        }
    }
}

/// Route 019's catalogue: ``LeakyPipelineExercises``'s functions, one task each.
public enum LeakyPipelineCatalogue: ExerciseCatalogue {
    public typealias Solution = any LeakyPipelineExercises

    public static let protocolName = "LeakyPipelineExercises"

    public static func describe(_ task: ExerciseTask) -> TaskDescription {
        switch task {
        case .features: TaskDescription(signature: "features(of:)", answer: "[[Int]]: 21 counts per sequence")
        case .cleanLocation: TaskDescription(signature: "cleanLocation(_:)", answer: "[String?]: one label per text")
        case .encodeLabels: TaskDescription(signature: "encodeLabels(_:)", answer: "[String: Int]")
        case .cosineSimilarity:
            TaskDescription(signature: "cosineSimilarity(_:)", answer: "FloatRows: an n × n matrix, bit for bit")
        case .clusters: TaskDescription(signature: "clusters(similarity:threshold:)", answer: "[Int]: a cluster per protein")
        case .clusteredSplit:
            TaskDescription(signature: "clusteredSplit(clusters:testFraction:seed:)", answer: "[Bool]: true for test")
        case .randomSplit:
            TaskDescription(signature: "randomSplit(count:testFraction:seed:)", answer: "[Bool]: true for test")
        case .accuracy: TaskDescription(signature: "accuracy(truth:predicted:)", answer: "Double")
        case .reflection: TaskDescription(signature: "reflection", answer: "Reflection: four answers")
        }
    }

    public static func task(of input: TaskInput) -> ExerciseTask { input.task }
    public static func task(of output: TaskOutput) -> ExerciseTask { output.task }

    /// Calls the function `input` is for.
    ///
    /// - Complexity: that of the student's function (times the number of items for per-item tasks).
    public static func answer(_ input: TaskInput, with solution: any LeakyPipelineExercises) -> TaskOutput {
        ExerciseHarness.answer(input, with: solution)
    }
}

extension ExerciseHarness {
    /// Answers one request with `type`'s functions: `main(LeakyPipelineCatalogue.self) { type.init() }`.
    public static func main(_ type: any LeakyPipelineExercises.Type) -> Never {
        main(LeakyPipelineCatalogue.self) { type.init() }
    }

    /// Calls the function `input` is for.
    ///
    /// - Complexity: that of the student's function (times the number of items for per-item tasks).
    public static func answer(_ input: TaskInput, with solution: some LeakyPipelineExercises) -> TaskOutput {
        switch input {
        case .features(let sequences):
            .features(sequences.map { solution.features(of: $0) })
        case .cleanLocation(let texts):
            .cleanLocation(texts.map { solution.cleanLocation($0) })
        case .encodeLabels(let labels):
            .encodeLabels(solution.encodeLabels(labels))
        case .cosineSimilarity(let embeddings):
            .cosineSimilarity(FloatRows(solution.cosineSimilarity(embeddings.rows)))
        case .clusters(let similarity, let threshold):
            .clusters(solution.clusters(similarity: similarity.rows, threshold: threshold))
        case .clusteredSplit(let clusters, let testFraction, let seed):
            .clusteredSplit(solution.clusteredSplit(clusters: clusters, testFraction: testFraction, seed: seed))
        case .randomSplit(let count, let testFraction, let seed):
            .randomSplit(solution.randomSplit(count: count, testFraction: testFraction, seed: seed))
        case .accuracy(let truth, let predicted):
            .accuracy(solution.accuracy(truth: truth, predicted: predicted))
        case .reflection:
            .reflection(solution.reflection)
        }
    }
}
