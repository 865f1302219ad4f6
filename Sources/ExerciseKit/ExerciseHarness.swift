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
