import ExerciseKit

/// Reference solution of Route 019 in Swift.
public struct Solution: LeakyPipelineExercises {
    public init() {}

    public func features(of sequence: String) -> [Int] {
        var residues = sequence.uppercased().filter { !$0.isWhitespace }
        if residues.last == "*" { residues.removeLast() }
        var counts = [Int](repeating: 0, count: AminoAcids.standard.count)
        for residue in residues {
            if let index = AminoAcids.standard.firstIndex(of: residue) { counts[index] += 1 }
        }
        return [residues.count] + counts
    }

    public func cleanLocation(_ uniprotText: String) -> String? {
        let classes =
            uniprotText.contains("[GO:")
            ? Set(LocationText.goTermNames(in: uniprotText).compactMap { LocationText.goClasses[$0.lowercased()] })
            : Set(LocationText.locations(in: uniprotText).compactMap(LocationText.locationClass))
        return classes.count == 1 ? classes.first : nil
    }

    public func encodeLabels(_ labels: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: Set(labels).sorted().enumerated().map { ($1, $0) })
    }

    public func cosineSimilarity(_ embeddings: [[Float]]) -> [[Float]] {
        let unit = embeddings.map { row -> [Float] in
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? row.map { $0 / norm } : row
        }
        var result = [[Float]](repeating: [Float](repeating: 0, count: unit.count), count: unit.count)
        for i in unit.indices {
            for j in i..<unit.count {
                var dot: Float = 0
                for k in unit[i].indices { dot += unit[i][k] * unit[j][k] }
                result[i][j] = dot
                result[j][i] = dot
            }
        }
        return result
    }

    public func clusters(similarity: [[Float]], threshold: Float) -> [Int] {
        let n = similarity.count
        var cluster = [Int](repeating: -1, count: n)
        var next = 0
        for start in 0..<n where cluster[start] < 0 {
            cluster[start] = next
            var stack = [start]
            while let i = stack.popLast() {
                for j in 0..<n where cluster[j] < 0 && similarity[i][j] > threshold {
                    cluster[j] = next
                    stack.append(j)
                }
            }
            next += 1
        }
        return cluster
    }

    public func clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64) -> [Bool] {
        // Belay's own rule, from ExerciseKit: the same seed gives Belay's reference split.
        SeededSplit.clustered(clusters: clusters, testFraction: testFraction, seed: seed)
    }

    public func randomSplit(count: Int, testFraction: Double, seed: UInt64) -> [Bool] {
        SeededSplit.random(count: count, testFraction: testFraction, seed: seed)
    }

    public func accuracy(truth: [Int], predicted: [Int]) -> Double {
        guard !truth.isEmpty, truth.count == predicted.count else { return 0 }
        return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
    }
}
