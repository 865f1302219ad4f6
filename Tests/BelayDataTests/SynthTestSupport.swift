@testable import BelayData

/// Small private numerics for the synthetic-data tests (BelayLab is written elsewhere).
enum SynthMath {
    /// Unit-normalised copies of the embedding rows of `ids` (in that order), as one flat array.
    static func normalizedRows(_ data: SynthDataset, ids: [String]) -> [Float] {
        let d = data.config.dimension
        var rowOf: [String: Int] = [:]
        for (r, id) in data.embeddingIDs.enumerated() { rowOf[id] = r }
        var out = [Float](repeating: 0, count: ids.count * d)
        data.embeddings.withUnsafeBufferPointer { e in
            out.withUnsafeMutableBufferPointer { o in
                for (i, id) in ids.enumerated() {
                    guard let r = rowOf[id] else { continue }
                    var norm: Float = 0
                    for k in 0..<d { norm += e[r * d + k] * e[r * d + k] }
                    let s = norm > 0 ? 1 / norm.squareRoot() : 0
                    for k in 0..<d { o[i * d + k] = e[r * d + k] * s }
                }
            }
        }
        return out
    }

    /// Cosine similarity of normalised rows `i` and `j`.
    static func cosine(_ x: [Float], _ d: Int, _ i: Int, _ j: Int) -> Float {
        x.withUnsafeBufferPointer { p in
            var s: Float = 0
            for k in 0..<d { s += p[i * d + k] * p[j * d + k] }
            return s
        }
    }

    /// The full similarity matrix of `n` normalised rows.
    static func similarities(_ x: [Float], n: Int, d: Int) -> [Float] {
        var s = [Float](repeating: 0, count: n * n)
        x.withUnsafeBufferPointer { p in
            s.withUnsafeMutableBufferPointer { o in
                for i in 0..<n {
                    o[i * n + i] = 1
                    for j in (i + 1)..<max(n, i + 1) {
                        var v: Float = 0
                        for k in 0..<d { v += p[i * d + k] * p[j * d + k] }
                        o[i * n + j] = v
                        o[j * n + i] = v
                    }
                }
            }
        }
        return s
    }

    /// Connected-component sizes of the graph with an edge wherever similarity > `threshold`.
    static func componentSizes(_ s: [Float], n: Int, threshold: Float) -> [Int] {
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) where s[i * n + j] > threshold {
                let a = find(i)
                let b = find(j)
                if a != b { parent[a] = b }
            }
        }
        var size: [Int: Int] = [:]
        for i in 0..<n { size[find(i), default: 0] += 1 }
        return size.values.sorted(by: >)
    }

    /// The route's 21 features: length and the 20 amino-acid counts.
    static func compositionFeatures(_ sequence: String) -> [Double] {
        var f = [Double](repeating: 0, count: 21)
        f[0] = Double(sequence.utf8.count)
        let alphabet = Array("ACDEFGHIKLMNPQRSTVWY".utf8)
        for a in sequence.utf8 {
            if let k = alphabet.firstIndex(of: a) { f[1 + k] += 1 }
        }
        return f
    }

    /// Columns standardised to mean 0, sd 1.
    static func standardized(_ rows: [[Double]]) -> [[Double]] {
        guard let width = rows.first?.count else { return rows }
        var out = rows
        for k in 0..<width {
            let mean = rows.reduce(0) { $0 + $1[k] } / Double(rows.count)
            let sd = (rows.reduce(0) { $0 + ($1[k] - mean) * ($1[k] - mean) } / Double(rows.count)).squareRoot()
            for i in out.indices { out[i][k] = sd > 0 ? (rows[i][k] - mean) / sd : 0 }
        }
        return out
    }

    /// Leave-one-out k-nearest-neighbour accuracy, given a similarity function (larger = closer).
    static func knnAccuracy(labels: [Int], k: Int, similarity: (Int, Int) -> Double) -> Double {
        let n = labels.count
        var correct = 0
        for i in 0..<n {
            var best: [(Double, Int)] = []
            for j in 0..<n where j != i {
                let s = similarity(i, j)
                if best.count < k {
                    best.append((s, j))
                    best.sort { $0.0 > $1.0 }
                } else if s > best[k - 1].0 {
                    best[k - 1] = (s, j)
                    best.sort { $0.0 > $1.0 }
                }
            }
            var votes = [0, 0, 0]
            for (_, j) in best { votes[labels[j]] += 1 }
            let predicted = (0..<3).max { votes[$0] < votes[$1] || (votes[$0] == votes[$1] && $0 > $1) } ?? 0
            if predicted == labels[i] { correct += 1 }
        }
        return Double(correct) / Double(n)
    }

    /// Nearest-centroid accuracy (cosine to class means of the training rows), training on rows where `train`
    /// is true and scoring the others.
    static func centroidAccuracy(_ x: [[Double]], labels: [Int], train: [Bool]) -> Double {
        let width = x[0].count
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: width), count: 3)
        var counts = [0, 0, 0]
        for i in x.indices where train[i] {
            counts[labels[i]] += 1
            for k in 0..<width { centroids[labels[i]][k] += x[i][k] }
        }
        for c in 0..<3 where counts[c] > 0 { for k in 0..<width { centroids[c][k] /= Double(counts[c]) } }
        var correct = 0
        var total = 0
        for i in x.indices where !train[i] {
            total += 1
            var best = 0
            var bestDistance = Double.infinity
            for c in 0..<3 where counts[c] > 0 {
                var dist = 0.0
                for k in 0..<width { dist += (x[i][k] - centroids[c][k]) * (x[i][k] - centroids[c][k]) }
                if dist < bestDistance {
                    bestDistance = dist
                    best = c
                }
            }
            if best == labels[i] { correct += 1 }
        }
        return total > 0 ? Double(correct) / Double(total) : 0
    }
}
