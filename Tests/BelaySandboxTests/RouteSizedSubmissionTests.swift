import BelaySandbox
import BelayTestSupport
import ExerciseKit
import Foundation
import Testing

/// Inputs of the real route's size (2443 sequences, 1654 embeddings of 256 floats), random but seeded.
func routeSizedInputs() -> [TaskInput] {
    var rng = SeededGenerator(seed: 19)
    let letters = Array("ACDEFGHIKLMNPQRSTVWY")
    let sequences = (0..<2443).map { _ in String((0..<285).map { _ in letters[rng.nextIndex(below: 20)] }) }
    let embeddings = (0..<1654).map { _ in (0..<256).map { _ in Float(rng.nextIndex(below: 2001) - 1000) / 1000 } }
    let clusters = (0..<1654).map { $0 % 794 }
    return [
        .features(sequences: sequences),
        .cosineSimilarity(embeddings: FloatRows(embeddings)),
        .clusteredSplit(clusters: clusters, testFraction: 0.2, seed: 0),
        .randomSplit(count: 1654, testFraction: 0.2, seed: 0),
        .accuracy(truth: clusters.map { $0 % 3 }, predicted: clusters.map { $0 % 2 }),
        .reflection,
    ]
}

@Suite(.serialized, .timeLimit(.minutes(45)))
struct RouteSizedSubmissionTests {
    /// The reference solution answers every task on inputs of the real route's size within the run limits
    /// (10 s a task). How long that takes is measured by `belay bench`, not asserted here.
    @Test func routeSizedSubmissionIsAnsweredWithinTheLimits() async throws {
        let builder = try #require(sharedBuilder)
        let runner = SwiftSubmissionRunner(LeakyPipelineCatalogue.self, builder: builder)
        let package = repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/swift")
        let inputs = routeSizedInputs()
        let run = try await runner.run(package: package, inputs: inputs)
        #expect(run.compileError == nil)
        #expect(run.responses.count == inputs.count)
        #expect(run.responses.values.allSatisfy { $0.output != nil }, "\(run.responses.filter { $0.value.output == nil })")
        if case .answered(.features(let rows), _) = run.responses[.features] {
            #expect(rows.count == 2443 && rows.allSatisfy { $0.count == 21 && $0[0] == 285 })
        }
        if case .answered(.cosineSimilarity(let m), _) = run.responses[.cosineSimilarity] {
            #expect(m.rows.count == 1654 && abs(m.rows[7][7] - 1) < 1e-5)
        }
    }
}
