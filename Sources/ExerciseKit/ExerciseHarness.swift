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
/// The grader compiles the student's sources with a generated `@main` that calls
/// `ExerciseHarness.main(TheirType.self)`, then runs the program once per task:
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

    /// Answers one request on standard input with `type`'s functions; see the type's documentation.
    public static func main(_ type: any LeakyPipelineExercises.Type) -> Never {
        let channel = fcntl(resultDescriptor, F_DUPFD_CLOEXEC, 100)
        guard channel >= 0 else { fail("belay harness: no result channel on descriptor 3", status: noChannelStatus) }
        close(resultDescriptor)

        let requestData = FileHandle.standardInput.readDataToEndOfFile()
        let request: HarnessRequest
        do {
            request = try HarnessCoding.decoder().decode(HarnessRequest.self, from: requestData)
        } catch {
            fail("belay harness: unreadable request: \(error)", status: badRequestStatus)
        }

        let start = DispatchTime.now().uptimeNanoseconds
        let output = answer(request.input, with: type.init())
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let response = HarnessResponse(nonce: request.nonce, task: request.input.task, output: output, seconds: seconds)
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
