// Feature standardization, as scikit-learn's StandardScaler: (x - mean) / standard deviation per column.

/// Per-column centring and scaling learned on training rows and applied to any rows.
///
/// Fit on the training set only: statistics of the test set must not influence the model (that would be a
/// small leak of its own). The standard deviation is the population one (ddof = 0). A column that is constant
/// (up to rounding, by scikit-learn's test `var <= n·eps·var + (n·mean·eps)²`) gets scale 1, so it becomes
/// all zeros instead of a division by zero.
public struct Standardizer: Sendable, Equatable {
    /// Column means of the fitted rows.
    public var means: [Double]
    /// Column scales (standard deviations, 1 for constant columns).
    public var scales: [Double]

    /// Learns the column means and scales of a row-major `rows x columns` matrix (two passes, in `Double`).
    /// - Complexity: O(rows x columns).
    public init(fitting x: [Double], rows: Int, columns: Int) {
        precondition(x.count == rows * columns, "Standardizer: \(x.count) values for \(rows) x \(columns)")
        var means = [Double](repeating: 0, count: columns)
        var variances = [Double](repeating: 0, count: columns)
        // Row by row, so each column's sums add its values in row order (the loops below only drop bounds checks).
        if rows > 0 {
            x.withUnsafeBufferPointer { x in
                means.withUnsafeMutableBufferPointer { m in
                    for i in 0..<rows {
                        let row = i * columns
                        for j in 0..<columns { m[j] += x[row + j] }
                    }
                    for j in 0..<columns { m[j] /= Double(rows) }
                    variances.withUnsafeMutableBufferPointer { v in
                        for i in 0..<rows {
                            let row = i * columns
                            for j in 0..<columns {
                                let dev = x[row + j] - m[j]
                                v[j] += dev * dev
                            }
                        }
                        for j in 0..<columns { v[j] /= Double(rows) }
                    }
                }
            }
        }
        let eps = Double.ulpOfOne, n = Double(rows)
        self.means = means
        self.scales = zip(means, variances).map { mean, variance in
            let constantBound = n * eps * variance + (n * mean * eps) * (n * mean * eps)
            return variance <= constantBound ? 1 : variance.squareRoot()
        }
    }

    /// `(x - mean) / scale` for each value of a row-major `rows x columns` matrix.
    /// - Complexity: O(rows x columns).
    public func transform(_ x: [Double], rows: Int) -> [Double] {
        let columns = means.count
        precondition(x.count == rows * columns, "Standardizer.transform: \(x.count) values for \(rows) x \(columns)")
        return [Double](unsafeUninitializedCapacity: x.count) { out, initialized in
            x.withUnsafeBufferPointer { x in
                means.withUnsafeBufferPointer { m in
                    scales.withUnsafeBufferPointer { s in
                        for i in 0..<rows {
                            let row = i * columns
                            for j in 0..<columns { out[row + j] = (x[row + j] - m[j]) / s[j] }
                        }
                    }
                }
            }
            initialized = x.count
        }
    }
}

extension LogisticModel {
    /// The same decision function on raw rows, for a model fitted on rows standardized by `scaler`:
    /// `w·((x − m)/s) + b = (w/s)·x + (b − Σ w·m/s)`. Scores, probabilities and predictions are unchanged.
    /// - Complexity: O(classCount x columns).
    public func unstandardized(by scaler: Standardizer) -> LogisticModel {
        precondition(scaler.means.count == columns, "unstandardized: \(scaler.means.count) scales for \(columns) columns")
        var out = self
        for k in 0..<classCount {
            var shift = 0.0
            for j in 0..<columns {
                let w = weights[k * columns + j] / scaler.scales[j]
                out.weights[k * columns + j] = w
                shift += w * scaler.means[j]
            }
            if intercepts[k].isFinite { out.intercepts[k] = intercepts[k] - shift }
        }
        return out
    }

    /// The same decision function on rows standardized by `scaler`, for a model on raw rows (the inverse of
    /// ``unstandardized(by:)``): `w·x + b = (w·s)·((x − m)/s) + (b + Σ w·m)`. A raw-space model thus carries over
    /// to any other split's standardization, which is how a rerun starts from the reference's fit.
    /// - Complexity: O(classCount x columns).
    public func standardized(by scaler: Standardizer) -> LogisticModel {
        precondition(scaler.means.count == columns, "standardized: \(scaler.means.count) scales for \(columns) columns")
        var out = self
        for k in 0..<classCount {
            var shift = 0.0
            for j in 0..<columns {
                out.weights[k * columns + j] = weights[k * columns + j] * scaler.scales[j]
                shift += weights[k * columns + j] * scaler.means[j]
            }
            if intercepts[k].isFinite { out.intercepts[k] = intercepts[k] + shift }
        }
        return out
    }
}
