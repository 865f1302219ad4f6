import ExerciseKit

/// Your solution to Route 019, "The Leaky Pipeline". Fill in every TODO.
///
/// Each function's documentation (in ExerciseKit's `LeakyPipelineExercises`) gives the exact rules.
/// The placeholders compile, so `swift build` works from the start, but every check fails until you
/// replace them.
public struct Solution: LeakyPipelineExercises {
    public init() {}

    // MARK: Ex0 — features and labels

    public func features(of sequence: String) -> [Int] {
        // TODO: [length, count(A), count(C), ..., count(Y)] in the order of AminoAcids.standard.
        []
    }

    public func cleanLocation(_ uniprotText: String) -> String? {
        // TODO: "cytoplasm", "membrane" or "secreted"; nil when none or several classes are named.
        nil
    }

    // MARK: Ex1 — label encoding

    public func encodeLabels(_ labels: [String]) -> [String: Int] {
        // TODO: the distinct labels, sorted, numbered 0, 1, ..., k-1.
        [:]
    }

    // MARK: Ex2 — similarity and clusters

    public func cosineSimilarity(_ embeddings: [[Float]]) -> [[Float]] {
        // TODO: an n x n matrix of cosine similarities between the rows.
        []
    }

    public func clusters(similarity: [[Float]], threshold: Float) -> [Int] {
        // TODO: connected components of the graph with an edge where similarity > threshold.
        []
    }

    // MARK: Ex3 — splits and accuracy

    public func clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64) -> [Bool] {
        // TODO: true for test proteins; whole clusters go to test together. Use SeededGenerator(seed:).
        []
    }

    public func randomSplit(count: Int, testFraction: Double, seed: UInt64) -> [Bool] {
        // TODO: true for test proteins, chosen at random with SeededGenerator(seed:).
        []
    }

    public func accuracy(truth: [Int], predicted: [Int]) -> Double {
        // TODO: the fraction of positions where predicted equals truth.
        0
    }

    // MARK: Ex4 — reflection
    // Answer in Reflection.md (next to Package.swift). Nothing to write here: ExerciseKit reads that file.
}
