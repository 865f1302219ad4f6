import Foundation
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

extension SynthMath {
    /// Accuracy of an L2-regularised softmax regression (full-batch gradient descent on standardised columns)
    /// trained on rows where `train` is true and scored on the others.
    static func softmaxAccuracy(_ x: [[Double]], labels: [Int], train: [Bool], iterations: Int = 300) -> Double {
        let rows = standardized(x)
        let width = rows[0].count + 1
        let data = rows.map { $0 + [1] }
        var w = [Double](repeating: 0, count: 3 * width)
        let trainRows = data.indices.filter { train[$0] }
        let rate = 0.5
        let lambda = 1e-2
        var p = [Double](repeating: 0, count: 3)
        for _ in 0..<iterations {
            var grad = [Double](repeating: 0, count: 3 * width)
            for i in trainRows {
                let r = data[i]
                for c in 0..<3 {
                    var z = 0.0
                    for k in 0..<width { z += w[c * width + k] * r[k] }
                    p[c] = z
                }
                let m = max(p[0], p[1], p[2])
                let e = p.map { Foundation.exp($0 - m) }
                let s = e[0] + e[1] + e[2]
                for c in 0..<3 {
                    let g = e[c] / s - (labels[i] == c ? 1 : 0)
                    for k in 0..<width { grad[c * width + k] += g * r[k] }
                }
            }
            let scale = 1 / Double(max(trainRows.count, 1))
            for j in w.indices { w[j] -= rate * (grad[j] * scale + lambda * w[j]) }
        }
        var correct = 0
        var total = 0
        for i in data.indices where !train[i] {
            total += 1
            var best = 0
            var bestScore = -Double.infinity
            for c in 0..<3 {
                var z = 0.0
                for k in 0..<width { z += w[c * width + k] * data[i][k] }
                if z > bestScore {
                    bestScore = z
                    best = c
                }
            }
            if best == labels[i] { correct += 1 }
        }
        return total > 0 ? Double(correct) / Double(total) : 0
    }
}

extension SynthMath {
    /// Mean k-fold accuracy (fold = row index mod `folds`) of a one-vs-rest ridge classifier on standardised
    /// columns (closed form, regularisation `lambda × training rows`).
    static func ridgeAccuracy(_ x: [[Double]], labels: [Int], folds: Int = 5, lambda: Double = 0.05) -> Double {
        let rows = standardized(x)
        let p = rows[0].count
        var accuracies: [Double] = []
        for fold in 0..<folds {
            let train = rows.indices.filter { $0 % folds != fold }
            let test = rows.indices.filter { $0 % folds == fold }
            var means = [Double](repeating: 0, count: p)
            var yMean = [0.0, 0.0, 0.0]
            for i in train {
                for k in 0..<p { means[k] += rows[i][k] }
                yMean[labels[i]] += 1
            }
            for k in 0..<p { means[k] /= Double(train.count) }
            for c in 0..<3 { yMean[c] /= Double(train.count) }
            // Normal equations (A = X'X + λnI, B = X'Y on centred data), solved by Cholesky.
            var a = [Double](repeating: 0, count: p * p)
            var b = [Double](repeating: 0, count: p * 3)
            for i in train {
                let r = (0..<p).map { rows[i][$0] - means[$0] }
                for j in 0..<p {
                    for k in j..<p { a[j * p + k] += r[j] * r[k] }
                    for c in 0..<3 { b[j * 3 + c] += r[j] * ((labels[i] == c ? 1 : 0) - yMean[c]) }
                }
            }
            for j in 0..<p {
                for k in 0..<j { a[j * p + k] = a[k * p + j] }
                a[j * p + j] += lambda * Double(train.count)
            }
            var l = [Double](repeating: 0, count: p * p)
            for j in 0..<p {
                for k in 0...j {
                    var s = a[j * p + k]
                    for m in 0..<k { s -= l[j * p + m] * l[k * p + m] }
                    l[j * p + k] = j == k ? s.squareRoot() : s / l[k * p + k]
                }
            }
            var w = b
            for c in 0..<3 {
                for j in 0..<p {  // forward: L z = b
                    var s = w[j * 3 + c]
                    for m in 0..<j { s -= l[j * p + m] * w[m * 3 + c] }
                    w[j * 3 + c] = s / l[j * p + j]
                }
                for j in stride(from: p - 1, through: 0, by: -1) {  // backward: L' w = z
                    var s = w[j * 3 + c]
                    for m in (j + 1)..<max(p, j + 1) { s -= l[m * p + j] * w[m * 3 + c] }
                    w[j * 3 + c] = s / l[j * p + j]
                }
            }
            var correct = 0
            for i in test {
                var scores = yMean
                for k in 0..<p {
                    let v = rows[i][k] - means[k]
                    for c in 0..<3 { scores[c] += v * w[k * 3 + c] }
                }
                let predicted = (0..<3).max { scores[$0] < scores[$1] } ?? 0
                if predicted == labels[i] { correct += 1 }
            }
            accuracies.append(Double(correct) / Double(max(test.count, 1)))
        }
        return accuracies.reduce(0, +) / Double(folds)
    }
}
