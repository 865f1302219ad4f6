import Foundation

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

/// A possibly ragged `[[Float]]`, encoded compactly: row lengths plus the values' little-endian bytes in base64.
///
/// Keeps every bit (NaN payloads, -0.0) and is ~3x smaller and far faster to decode than JSON numbers.
public struct FloatRows: Codable, Sendable, Hashable {
    /// The rows.
    public var rows: [[Float]]

    /// Wraps `rows`.
    public init(_ rows: [[Float]]) { self.rows = rows }

    private enum CodingKeys: String, CodingKey { case counts, data }

    /// Decodes from `{"counts": [...], "data": "<base64>"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let counts = try container.decode([Int].self, forKey: .counts)
        let text = try container.decode(String.self, forKey: .data)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "not base64")
        }
        let total = counts.reduce(0) { $0 + max($1, 0) }
        guard counts.allSatisfy({ $0 >= 0 }), data.count == total * 4 else {
            throw DecodingError.dataCorruptedError(
                forKey: .data, in: container,
                debugDescription: "\(data.count) bytes do not hold the \(total) floats the row counts announce")
        }
        var rows: [[Float]] = []
        rows.reserveCapacity(counts.count)
        data.withUnsafeBytes { raw in
            var offset = 0
            for count in counts {
                rows.append((0..<count).map { k in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: (offset + k) * 4, as: UInt32.self)))
                })
                offset += count
            }
        }
        self.rows = rows
    }

    /// Encodes as `{"counts": [...], "data": "<base64>"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows.map(\.count), forKey: .counts)
        var data = Data(capacity: rows.reduce(0) { $0 + $1.count } * 4)
        for row in rows {
            for value in row {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        try container.encode(data.base64EncodedString(), forKey: .data)
    }
}

/// What the grader sends the harness on standard input: one task's inputs and a per-run nonce.
public struct HarnessRequest: Codable, Sendable, Hashable {
    /// Random per run; the harness copies it into its response so the grader can reject stray data.
    public var nonce: String
    /// The task's inputs.
    public var input: TaskInput

    /// Creates a request.
    public init(nonce: String, input: TaskInput) {
        self.nonce = nonce
        self.input = input
    }
}

/// What the harness writes on the result channel (file descriptor ``ExerciseHarness/resultDescriptor``).
public struct HarnessResponse: Codable, Sendable, Hashable {
    /// The request's nonce, echoed.
    public var nonce: String
    /// The task answered.
    public var task: ExerciseTask
    /// The student's answer.
    public var output: TaskOutput
    /// Seconds spent inside the student's code (creating the type and calling the function).
    public var seconds: Double

    /// Creates a response.
    public init(nonce: String, task: ExerciseTask, output: TaskOutput, seconds: Double) {
        self.nonce = nonce
        self.task = task
        self.output = output
        self.seconds = seconds
    }
}

/// The JSON coding shared by the harness and the grader (non-finite numbers allowed, sorted keys).
public enum HarnessCoding {
    /// An encoder with sorted keys, writing NaN and infinities as strings.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// The matching decoder.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}
