import BelayLab
import BelayTestSupport
import Foundation

/// Helpers shared by the BelayLab tests: seeded test data and the Python reference bridge.
enum Fixtures {
    /// Standard normal samples (Box–Muller) from a seeded generator.
    static func gaussian(_ count: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let u1 = max(g.nextUnitDouble(), 1e-300), u2 = g.nextUnitDouble()
            return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
    }

    /// A random embedding matrix with a few planted near-duplicate groups, so thresholds find real clusters.
    static func clusteredEmbeddings(count: Int, dimension: Int, groups: Int, noise: Double, seed: UInt64)
        -> EmbeddingMatrix {
        let centres = gaussian(groups * dimension, seed: seed)
        let jitter = gaussian(count * dimension, seed: seed &+ 1)
        var g = SeededGenerator(seed: seed &+ 2)
        var values: [Float] = []
        for i in 0..<count {
            let c = g.nextIndex(below: groups)
            for k in 0..<dimension {
                values.append(Float(centres[c * dimension + k] + noise * jitter[i * dimension + k]))
            }
        }
        return EmbeddingMatrix(count: count, dimension: dimension, values: values)
    }

    /// A 3-class Gaussian-blob dataset: row-major features and labels.
    static func blobs(rows: Int, columns: Int, seed: UInt64, spread: Double = 1.5) -> (x: [Double], y: [Int]) {
        let z = gaussian(rows * columns, seed: seed)
        let centres = gaussian(3 * columns, seed: seed &+ 7)
        var g = SeededGenerator(seed: seed &+ 9)
        var x: [Double] = [], y: [Int] = []
        for i in 0..<rows {
            let c = g.nextIndex(below: 3)
            y.append(c)
            for j in 0..<columns { x.append(centres[c * columns + j] + spread * z[i * columns + j] + Double(j)) }
        }
        return (x, y)
    }
}

enum Reference {
    /// Whether the Python reference stack (NumPy, SciPy, scikit-learn, h5py, openpyxl) can be imported: checked
    /// once per test run, since each check starts an interpreter (in CI a missing package fails loudly instead).
    static let isAvailable = Python.isAvailable("numpy", "scipy", "sklearn", "h5py", "openpyxl")

    /// Runs a Python script with `input` on stdin and returns its stdout (throws with stderr on failure).
    static func run(_ script: String, input: String = "") throws -> String {
        try Python.output(script: script, stdin: Data(input.utf8))
    }

    /// All numbers in a whitespace-separated text.
    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," }).compactMap { Double(String($0)) }
    }

    /// A matrix as text: one row per line, space-separated, full precision.
    static func lines<T: CustomStringConvertible>(_ values: [T], columns: Int) -> String {
        guard columns > 0 else { return "" }
        return stride(from: 0, to: values.count, by: columns).map { start in
            values[start..<min(values.count, start + columns)].map(\.description).joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    /// Path of the real dataset's spreadsheet in the source tree.
    static var datasetXLSX: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources/BelayData/Resources/mtb-h37rv/mtb_with_localization.xlsx").path
    }
}
