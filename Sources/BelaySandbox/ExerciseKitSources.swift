// Generated from Sources/ExerciseKit by BelaySandboxTests (BELAY_RECORD=1 swift test --filter embeddedExerciseKit). Do not edit.

/// The sources of the module, embedded so that `belay` can compile it for student modules wherever it
/// runs (no source checkout needed).
enum ExerciseKitSources {
    /// File names and contents, sorted by name.
    static let files: [(name: String, text: String)] = [
        (
            "ExerciseCatalogue.swift",
            #####"""
/// A route's catalogue of tasks: how the route-neutral harness reaches the route's exercise protocol.
///
/// Each route with a Swift track declares an exercise protocol (the functions a student implements, such as
/// ``LeakyPipelineExercises``) and one catalogue conforming to this protocol: the tasks (one per function), the
/// inputs the grader sends and the answers the student's functions return, and how a task's inputs are answered
/// with a solution. The harness (``ExerciseHarness/main(_:solution:)``), the wire format (``HarnessRequest``,
/// ``HarnessResponse``) and Belay's sandbox know nothing else about a route.
public protocol ExerciseCatalogue {
    /// What answers the tasks: the route's exercise protocol as an existential, e.g. `any LeakyPipelineExercises`.
    associatedtype Solution
    /// The tasks, one per function of the exercise protocol; the raw value is the task's name on the wire.
    associatedtype Task: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where Task.RawValue == String
    /// The inputs of one task (never an expected answer).
    associatedtype Input: Codable, Hashable, Sendable
    /// What a student's function returned for one task, as returned (no checking, no rounding).
    associatedtype Output: Codable, Hashable, Sendable

    /// The exercise protocol's name, e.g. `LeakyPipelineExercises`: the type a student's package must conform to it.
    static var protocolName: String { get }

    /// The function behind `task` and how its answer is encoded.
    static func describe(_ task: Task) -> TaskDescription

    /// The task `input` is for.
    static func task(of input: Input) -> Task

    /// The task `output` answers.
    static func task(of output: Output) -> Task

    /// Calls the function `input` is for.
    static func answer(_ input: Input, with solution: Solution) -> Output
}

/// One entry of a route's catalogue: the function a student implements and how its answer travels.
public struct TaskDescription: Sendable, Hashable {
    /// The Swift name of the function (or property) behind the task, e.g. `features(of:)`.
    public var signature: String
    /// How the function's answer is encoded on the wire, e.g. `[[Int]]: one row per sequence`.
    public var answer: String

    /// Creates a description.
    public init(signature: String, answer: String) {
        self.signature = signature
        self.answer = answer
    }
}

extension ExerciseCatalogue {
    /// Every task with its description, in the order of `Task.allCases`.
    public static var tasks: [(task: Task, description: TaskDescription)] {
        Task.allCases.map { ($0, describe($0)) }
    }
}

"""#####
        ),
        (
            "ExerciseHarness.swift",
            #####"""
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The grader's entry point into a student's module. Students never call this.
///
/// Route-neutral: a route's ``ExerciseCatalogue`` says which tasks there are and which function answers each. The
/// grader compiles the student's sources with a generated `@main` that calls
/// `ExerciseHarness.main(TheRoutesCatalogue.self) { TheirType() }`, then runs the program once per task:
///
/// 1. Before any student code runs, the harness moves the result channel (inherited file descriptor
///    ``resultDescriptor``, a pipe only the grader reads) to a private descriptor and closes descriptor 3.
/// 2. It reads one ``HarnessRequest`` (JSON) from standard input.
/// 3. It creates the student's type and calls the task's function (once per item for per-item tasks).
/// 4. It writes one ``HarnessResponse`` (JSON, carrying the request's nonce) to the channel and exits 0.
///
/// Threat model, honestly: student code runs in the same process, so a determined student could find the
/// private descriptor and the nonce in memory and forge a response. What this design stops is accidental or
/// print-based forgery: nothing written to stdout or stderr is ever parsed as a result (they are captured
/// for diagnostics only), writes to descriptor 3 fail, and a response without the run's nonce is rejected.
/// The protection against harm is elsewhere: the grader's sandbox (no secrets readable, limits, separate
/// uid), and the fact that a forged answer is only as good as a correct one.
public enum ExerciseHarness {
    /// The inherited file descriptor of the result channel: 3.
    public static let resultDescriptor: Int32 = 3

    /// Exit status when standard input does not hold a valid ``HarnessRequest``.
    public static let badRequestStatus: Int32 = 64
    /// Exit status when the result channel is missing or cannot be written.
    public static let noChannelStatus: Int32 = 74

    /// Answers one request on standard input with the solution `makeSolution` creates, through `catalogue`; see
    /// the type's documentation.
    public static func main<Catalogue: ExerciseCatalogue>(
        _ catalogue: Catalogue.Type, solution makeSolution: () -> Catalogue.Solution
    ) -> Never {
        let channel = fcntl(resultDescriptor, F_DUPFD_CLOEXEC, 100)
        guard channel >= 0 else { fail("belay harness: no result channel on descriptor 3", status: noChannelStatus) }
        close(resultDescriptor)

        let requestData = FileHandle.standardInput.readDataToEndOfFile()
        let request: HarnessRequest<Catalogue>
        do {
            request = try HarnessCoding.decoder().decode(HarnessRequest<Catalogue>.self, from: requestData)
        } catch {
            fail("belay harness: unreadable request: \(error)", status: badRequestStatus)
        }

        let start = DispatchTime.now().uptimeNanoseconds
        let output = Catalogue.answer(request.input, with: makeSolution())
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let response = HarnessResponse<Catalogue>(
            nonce: request.nonce, task: Catalogue.task(of: request.input), output: output, seconds: seconds)
        let data: Data
        do {
            data = try HarnessCoding.encoder().encode(response)
        } catch {
            fail("belay harness: cannot encode the answer: \(error)", status: noChannelStatus)
        }
        guard writeAll(data, to: channel) else {
            fail("belay harness: cannot write the result channel (errno \(errno))", status: noChannelStatus)
        }
        close(channel)
        exit(0)
    }

    private static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(status)
    }
}

"""#####
        ),
        (
            "HarnessWire.swift",
            #####"""
import Foundation

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
    ///
    /// The row counts are checked before anything is allocated for them, with arithmetic that cannot trap: each
    /// count must be non-negative and together they must announce exactly the floats the data holds. A reply
    /// from untrusted code (row counts like `[Int.max, 1]`) is a decoding error, never a crash.
    ///
    /// - Complexity: O(*n*) in the number of floats.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let counts = try container.decode([Int].self, forKey: .counts)
        let text = try container.decode(String.self, forKey: .data)
        guard let total = Self.checkedTotal(counts) else {
            throw DecodingError.dataCorruptedError(
                forKey: .counts, in: container,
                debugDescription: "the row counts are negative or their total overflows (\(counts.count) rows)")
        }
        // Base64 of `bytes` bytes is 4 * ceil(bytes / 3) characters; compare before decoding it.
        let (bytes, overflow) = total.multipliedReportingOverflow(by: 4)
        guard !overflow, text.utf8.count / 4 == (bytes + 2) / 3, text.utf8.count % 4 == 0,
            let data = Data(base64Encoded: text), data.count == bytes
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .data, in: container,
                debugDescription: "\(text.utf8.count) base64 characters do not hold the \(total) floats the row counts announce")
        }
        var rows: [[Float]] = []
        rows.reserveCapacity(counts.count)
        data.withUnsafeBytes { raw in
            var offset = 0
            for count in counts {
                rows.append((0..<count).map { k in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * k, as: UInt32.self)))
                })
                offset += 4 * count
            }
        }
        self.rows = rows
    }

    /// The sum of `counts` when every count is non-negative and the sum fits in an `Int`; `nil` otherwise.
    ///
    /// - Complexity: O(*n*) in the number of counts.
    public static func checkedTotal(_ counts: [Int]) -> Int? {
        var total = 0
        for count in counts {
            guard count >= 0 else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
        }
        return total
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
public struct HarnessRequest<Catalogue: ExerciseCatalogue>: Codable, Sendable, Hashable {
    /// Random per run; the harness copies it into its response so the grader can reject stray data.
    public var nonce: String
    /// The task's inputs.
    public var input: Catalogue.Input

    /// Creates a request.
    public init(nonce: String, input: Catalogue.Input) {
        self.nonce = nonce
        self.input = input
    }
}

/// What the harness writes on the result channel (file descriptor ``ExerciseHarness/resultDescriptor``).
public struct HarnessResponse<Catalogue: ExerciseCatalogue>: Codable, Sendable, Hashable {
    /// The request's nonce, echoed.
    public var nonce: String
    /// The task answered.
    public var task: Catalogue.Task
    /// The student's answer.
    public var output: Catalogue.Output
    /// Seconds spent inside the student's code (creating the type and calling the function).
    public var seconds: Double

    /// Creates a response.
    public init(nonce: String, task: Catalogue.Task, output: Catalogue.Output, seconds: Double) {
        self.nonce = nonce
        self.task = task
        self.output = output
        self.seconds = seconds
    }
}

/// Why a reply on the result channel was refused.
public enum HarnessReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reply is larger than the grader reads.
    case tooLarge(bytes: Int, limit: Int)
    /// The reply does not carry this run's nonce (or has none): stray or forged data.
    case notThisRun
    /// The reply answers another task (named) than the one asked.
    case wrongTask(String)
    /// The reply carries this run's nonce but its answer cannot be read (malformed JSON, sizes that do not add
    /// up); `reason` says what.
    case unreadable(reason: String)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): "the answer is \(bytes) bytes, more than the \(limit) the grader reads"
        case .notThisRun: "it was not this run's answer"
        case .wrongTask(let task): "it answers `\(task)` instead"
        case .unreadable(let reason): "it is malformed: \(reason)"
        }
    }
}

extension HarnessResponse {
    /// Why a reply on the result channel was refused.
    public typealias ReadError = HarnessReadError

    /// Only the fields that identify a reply; everything else is left undecoded.
    private struct Envelope: Decodable {
        var nonce: String
        var task: Catalogue.Task
    }

    /// Reads a reply of untrusted code: checks its size, then its nonce and task, and only then decodes the
    /// answer (whose own sizes are checked without trapping arithmetic, see ``FloatRows``).
    ///
    /// - Throws: ``ReadError``; never traps on hostile input.
    /// - Complexity: O(*n*) in the size of `data`.
    public static func read(
        _ data: Data, nonce: String, task: Catalogue.Task, maxBytes: Int
    ) throws(ReadError) -> HarnessResponse {
        guard data.count <= maxBytes else { throw .tooLarge(bytes: data.count, limit: maxBytes) }
        let decoder = HarnessCoding.decoder()
        guard let envelope = try? decoder.decode(Envelope.self, from: data), envelope.nonce == nonce else {
            throw .notThisRun
        }
        guard envelope.task == task else { throw .wrongTask(envelope.task.rawValue) }
        let response: HarnessResponse
        do {
            response = try decoder.decode(HarnessResponse.self, from: data)
        } catch let error as DecodingError {
            throw .unreadable(reason: Self.describe(error))
        } catch {
            throw .unreadable(reason: "\(error)")
        }
        let answered = Catalogue.task(of: response.output)
        guard answered == task else { throw .wrongTask(answered.rawValue) }
        return response
    }

    /// A one-line account of a decoding error: where it happened and what was wrong.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context): return context.debugDescription + path(context)
        case .keyNotFound(let key, let context): return "no `\(key.stringValue)`" + path(context)
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return context.debugDescription + path(context)
        @unknown default: return "\(error)"
        }
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

"""#####
        ),
        (
            "LeakyPipelineCatalogue.swift",
            #####"""
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

"""#####
        ),
        (
            "LeakyPipelineExercises.swift",
            #####"""
/// What you implement for Route 019, "The Leaky Pipeline": one function per task.
///
/// Write one type (a `struct` is fine) in your package that conforms to this protocol:
///
/// ```swift
/// import ExerciseKit
///
/// public struct MySolution: LeakyPipelineExercises {
///     public init() {}
///     public func features(of sequence: String) -> [Int] { ... }
///     // ... one function per task
/// }
/// ```
///
/// The grader builds your package, creates your type with `init()` and calls each function with the
/// course data, one task at a time in a separate process: a task that crashes or never returns fails
/// that task only. Your functions receive inputs only, never the expected answers.
public protocol LeakyPipelineExercises {
    /// Creates your solution. Keep it cheap: it runs once per task.
    init()

    /// Ex0: the 21 features of one protein sequence.
    ///
    /// Returns `[length, count(A), count(C), count(D), ..., count(Y)]`, the counts in the order of
    /// ``AminoAcids/standard`` (`ACDEFGHIKLMNPQRSTVWY`). Rules:
    /// - whitespace (spaces, newlines) is ignored;
    /// - lower-case letters count as their upper-case letter;
    /// - one terminal `*` (stop) is ignored;
    /// - any other letter (such as `X`, `U`, `B`) counts towards the length only.
    func features(of sequence: String) -> [Int]

    /// Ex0: the cleaned label of one UniProt "Subcellular location [CC]" text.
    ///
    /// Returns `"cytoplasm"`, `"membrane"` or `"secreted"`; `nil` when the text names none of these
    /// classes or more than one. Evidence tags such as `{ECO:0000269|PubMed:123}` and `Note=...` parts
    /// are ignored; locations are separated by `;` or `.`. Locations (case ignored):
    /// - cytoplasm: `Cytoplasm`, `Cytosol`;
    /// - membrane: `Cell membrane`, `Membrane`, `Cell inner membrane`, `Cell outer membrane`,
    ///   `Multi-pass membrane protein`, `Single-pass membrane protein`, `Peripheral membrane protein`,
    ///   `Lipid-anchor`;
    /// - secreted: `Secreted` (also `Secreted, cell wall`), `Extracellular space`;
    /// - anything else (e.g. `Cell wall`, `Periplasm`) names no class.
    ///
    /// Some datasets (the embedded H37Rv one among them) give Gene Ontology cellular-component terms instead,
    /// as `plasma membrane [GO:0005886]; cytosol [GO:0005829]`. Then each `;`-separated term's name (before
    /// ` [GO:`) is matched exactly: `cytosol`, `cytoplasm` → cytoplasm; `plasma membrane`, `membrane`,
    /// `cell outer membrane` → membrane; `extracellular region`, `extracellular space` → secreted; every other
    /// term (`cytoplasmic side of plasma membrane`, `ribosome`, `cell wall` …) names no class.
    func cleanLocation(_ uniprotText: String) -> String?

    /// Ex1: the integer code of every class: the distinct labels sorted, numbered `0, 1, ..., k-1`.
    func encodeLabels(_ labels: [String]) -> [String: Int]

    /// Ex2: all-pairs cosine similarity of `n` embeddings (rows), an `n x n` matrix.
    func cosineSimilarity(_ embeddings: [[Float]]) -> [[Float]]

    /// Ex2: cluster id of every protein: the connected components of the graph that links `i` and `j`
    /// when `similarity[i][j] > threshold` (strictly greater).
    ///
    /// Number the clusters `0, 1, 2, ...` in order of their first member (protein 0 is in cluster 0).
    func clusters(similarity: [[Float]], threshold: Float) -> [Int]

    /// Ex3: a clustered train/test split: `true` marks a test protein.
    ///
    /// Whole clusters go to test. Any seeded rule that keeps clusters whole is accepted; the same inputs must
    /// always give the same split. Belay's reference rule is
    /// ``SeededSplit/clustered(clusters:testFraction:seed:mode:)``: call it to get exactly Belay's split.
    func clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64) -> [Bool]

    /// Ex3: a random train/test split of `count` proteins: `true` marks a test protein.
    ///
    /// Belay's reference rule is ``SeededSplit/random(count:testFraction:seed:stratifyBy:)`` (shuffle `0..<count`
    /// with `SeededGenerator(seed: seed).shuffle(_:)` and send the first `ceil(testFraction * count)` to test).
    func randomSplit(count: Int, testFraction: Double, seed: UInt64) -> [Bool]

    /// Ex3: the fraction of positions where `predicted` equals `truth` (two arrays of the same length).
    func accuracy(truth: [Int], predicted: [Int]) -> Double

    /// Ex4: your four reflection answers.
    ///
    /// The default implementation reads `Reflection.md` at the root of your package (headings `## Q1`
    /// to `## Q4`), so you may answer there instead of in Swift.
    var reflection: Reflection { get }
}

extension LeakyPipelineExercises {
    /// Reads `Reflection.md` from the current directory (your package root, or the grader's copy of it).
    public var reflection: Reflection {
        Reflection(contentsOfFile: Reflection.fileName) ?? Reflection(q1: "", q2: "", q3: "", q4: "")
    }
}

/// The 20 standard amino acids, in the order of the feature vector.
public enum AminoAcids {
    /// `ACDEFGHIKLMNPQRSTVWY`: the order of the 20 counts after the length in ``LeakyPipelineExercises/features(of:)``.
    public static let standard: [Character] = Array("ACDEFGHIKLMNPQRSTVWY")
}

"""#####
        ),
        (
            "Reflection.swift",
            #####"""
import Foundation

/// The four reflection answers of Ex4, each two or three sentences.
///
/// - Q1: What is data leakage?
/// - Q2: Why is homology leakage easy to miss?
/// - Q3: What would you ask of a paper that claims 95% accuracy?
/// - Q4: When is a random split fine?
public struct Reflection: Codable, Sendable, Hashable {
    /// What data leakage is.
    public var q1: String
    /// Why homology leakage is easy to miss.
    public var q2: String
    /// What to ask of a paper claiming 95% accuracy.
    public var q3: String
    /// When a random split is fine.
    public var q4: String

    /// The file the default ``LeakyPipelineExercises/reflection`` reads: `Reflection.md`.
    public static let fileName = "Reflection.md"

    /// Creates the answers from four strings.
    public init(q1: String, q2: String, q3: String, q4: String) {
        self.q1 = q1
        self.q2 = q2
        self.q3 = q3
        self.q4 = q4
    }

    /// Parses Markdown with the headings `## Q1` ... `## Q4`; the text under each heading (up to the next
    /// `#` heading) is that answer, trimmed. Missing headings give empty answers; text after a heading's
    /// `Q<n>` on the same line (a title such as `## Q1 — What is leakage?`) is not part of the answer.
    ///
    /// - Complexity: O(*n*) in the length of the text.
    public init(markdown: String) {
        var answers: [Int: [Substring]] = [:]
        var current: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("#") {
                current = Self.questionNumber(inHeading: trimmed)
                continue
            }
            if let current { answers[current, default: []].append(line) }
        }
        func answer(_ n: Int) -> String {
            (answers[n] ?? []).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.init(q1: answer(1), q2: answer(2), q3: answer(3), q4: answer(4))
    }

    /// Reads and parses a Markdown file; `nil` when it cannot be read as UTF-8.
    public init?(contentsOfFile path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        self.init(markdown: text)
    }

    /// The four answers in order.
    public var answers: [String] { [q1, q2, q3, q4] }

    /// `1...4` for a heading such as `## Q3` or `## Q3. Why...`, otherwise `nil`.
    private static func questionNumber(inHeading heading: Substring) -> Int? {
        let words = heading.drop { $0 == "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = words.first else { return nil }
        let word = first.uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ".:)-"))
        guard word.count == 2, word.hasPrefix("Q"), let n = Int(word.dropFirst()), (1...4).contains(n) else {
            return nil
        }
        return n
    }
}

"""#####
        ),
        (
            "SeededGenerator.swift",
            #####"""
/// The one seeded random number generator of Belay and of every route's exercises: xoshiro256** (Blackman &
/// Vigna, 2018), seeded through splitmix64. Small, fast, and fully specified here, so that a seed names the same
/// stream on every machine and every Swift version.
///
/// Belay's own reference runs, its synthetic data generator and the splits of ``SeededSplit`` all draw from this
/// type: a split you compute with it is bit for bit the split Belay computes for the same seed and data. Shuffle
/// with ``shuffle(_:)`` rather than the standard library's `shuffle(using:)`, whose use of the generator is not
/// promised to stay the same between Swift releases.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// var ids = Array(0..<10)
/// rng.shuffle(&ids)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole stream is determined by `seed`. The four state words are the first four
    /// outputs of splitmix64 started at `seed`, as the xoshiro authors recommend (never all zero).
    public init(seed: UInt64) {
        var x = seed
        func splitmix64() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix64(), splitmix64(), splitmix64(), splitmix64())
    }

    /// The four state words, for deriving an independent stream from the current state (see Belay's data generator).
    public var state: (UInt64, UInt64, UInt64, UInt64) { s }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), by Lemire's multiply-and-reject method: unbiased and
    /// specified here, not by the standard library.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Shuffles `elements` in place with the Fisher–Yates (Durstenfeld) algorithm: for `i` from the last position
    /// down to 1, swap element `i` with element `nextIndex(below: i + 1)`. Every permutation is equally likely.
    ///
    /// - Complexity: O(*n*).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            let j = nextIndex(below: i + 1)
            if i != j { elements.swapAt(i, j) }
        }
    }

    /// The equal-state comparison (tuples are not `Equatable`).
    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.s.0 == b.s.0 && a.s.1 == b.s.1 && a.s.2 == b.s.2 && a.s.3 == b.s.3
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

"""#####
        ),
        (
            "SeededSplit.swift",
            #####"""
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

"""#####
        ),
    ]
}
