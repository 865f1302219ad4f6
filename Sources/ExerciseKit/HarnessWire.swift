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
