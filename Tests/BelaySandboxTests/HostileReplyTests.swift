@testable import BelaySandbox
import ExerciseKit
import Foundation
import Testing

/// Replies a hostile module can write on the result channel: each must fail its task, never crash the grader.
struct HostileReplyTests {
    static let exited = SandboxResult(
        termination: .exited(0), stdout: Data(), stderr: Data(), wallSeconds: 0, cpuSeconds: 0, appliedLimits: [],
        unappliedLimits: [])

    /// A cosine-similarity reply with `counts` and `data`, under `nonce`.
    static func cosineReply(nonce: String, counts: String, data: String = "") -> Data {
        Data(
            #"{"nonce":"\#(nonce)","output":{"cosineSimilarity":{"_0":{"counts":\#(counts),"data":"\#(data)"}}},"seconds":0,"task":"cosineSimilarity"}"#
                .utf8)
    }

    static func failure(_ reply: Data, nonce: String = "real", task: ExerciseTask = .cosineSimilarity) -> TaskFailure? {
        let outcome = SwiftSubmissionRunner<LeakyPipelineCatalogue>.outcome(
            task: task, result: exited, data: reply, nonce: nonce, policy: .studentRun)
        if case .failed(let failure) = outcome { return failure }
        return nil
    }

    @Test(arguments: [
        "[9223372036854775807,1]", "[9223372036854775807,9223372036854775807]", "[4611686018427387904]",
        "[-1,1]", "[-9223372036854775808]", "[2305843009213693952]",
    ])
    func overflowingRowCountsFailTheTask(counts: String) throws {
        // With this run's nonce: decoded, refused as malformed.
        let withNonce = try #require(Self.failure(Self.cosineReply(nonce: "real", counts: counts, data: "AAAAAA==")))
        #expect(withNonce.kind == .malformedResult)
        #expect(withNonce.message.contains("row counts"))
        // With a guessed nonce: refused before the answer is decoded.
        let forged = try #require(Self.failure(Self.cosineReply(nonce: "guess", counts: counts)))
        #expect(forged.kind == .malformedResult)
        #expect(forged.message.contains("not this run's answer"))
    }

    @Test func floatRowsRefuseCountsThatOverflow() {
        for counts in ["[9223372036854775807,1]", "[4611686018427387904]", "[-1]"] {
            let json = Data(#"{"counts":\#(counts),"data":""}"#.utf8)
            #expect(throws: DecodingError.self) { try HarnessCoding.decoder().decode(FloatRows.self, from: json) }
        }
        // Base64 whose length does not match the counts is refused before it is decoded.
        let short = Data(#"{"counts":[2],"data":"AAAAAA=="}"#.utf8)
        #expect(throws: DecodingError.self) { try HarnessCoding.decoder().decode(FloatRows.self, from: short) }
        #expect(FloatRows.checkedTotal([Int.max, 1]) == nil)
        #expect(FloatRows.checkedTotal([Int.max - 1, 1]) == Int.max)
        #expect(FloatRows.checkedTotal([]) == 0)
    }

    @Test func wellFormedReplyIsStillAccepted() throws {
        let response = HarnessResponse<LeakyPipelineCatalogue>(
            nonce: "real", task: .cosineSimilarity, output: .cosineSimilarity(FloatRows([[1, 0.5], [0.5, 1]])),
            seconds: 0.25)
        let data = try HarnessCoding.encoder().encode(response)
        let outcome = SwiftSubmissionRunner<LeakyPipelineCatalogue>.outcome(
            task: .cosineSimilarity, result: Self.exited, data: data, nonce: "real", policy: .studentRun)
        #expect(outcome == .answered(.cosineSimilarity(FloatRows([[1, 0.5], [0.5, 1]])), seconds: 0.25))
        // The same reply for another task, or too large, is refused.
        #expect(Self.failure(data, task: .clusters)?.message.contains("instead") == true)
        #expect(throws: HarnessReadError.tooLarge(bytes: data.count, limit: 10)) {
            try HarnessResponse<LeakyPipelineCatalogue>.read(data, nonce: "real", task: .cosineSimilarity, maxBytes: 10)
        }
    }

    @Test func deeplyNestedOrBrokenRepliesFailTheTask() throws {
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(Self.failure(deep)?.kind == .malformedResult)
        let nested = Data(
            (#"{"nonce":"real","task":"cosineSimilarity","seconds":0,"output":"# + String(repeating: "[", count: 100_000)
                + String(repeating: "]", count: 100_000) + "}").utf8)
        #expect(Self.failure(nested)?.kind == .malformedResult)
        #expect(Self.failure(Data("{\"nonce\":\"real\"".utf8))?.kind == .malformedResult)
        let huge = Data(#"{"nonce":"real","output":{"accuracy":{"_0":1e999999}},"seconds":0,"task":"accuracy"}"#.utf8)
        _ = Self.failure(huge, task: .accuracy)  // refused or read as infinity; either way no crash
    }
}
