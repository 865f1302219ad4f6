// What makes L-BFGS quick on the logistic regressions: a guess at the objective's curvature to start from.
//
// L-BFGS builds its inverse-Hessian approximation from the last few steps on top of an initial matrix H₀. With
// H₀ = γ·I (the textbook choice) it needs many iterations when the curvature differs widely between directions:
// about 245 on the 256-wide protein embeddings, whose covariance has eigenvalues from 1e-3 to 77. The Hessian of
// the penalized log-loss divided by C·n is, per class, about c̄·E[(x, 1)(x, 1)ᵀ] + diag(w/(C·n), 0), with c̄ a
// typical p(1 − p) and w the penalty's weight per column. So H₀ = γ·A⁻¹ with
//     A = (1/n)·Σ (xᵢ, 1)(xᵢ, 1)ᵀ + diag(w/(C·n·c̄), 0),      c̄ = 0.1
// the same for every class, factored once per fit (A = UᵀU, LAPACK `dpotrf`). L-BFGS from H₀ = γ·A⁻¹ is L-BFGS
// with H₀ = γ·I in the coordinates U·θ, in which the rows have unit covariance and the curvature is about the same
// in every direction; there the embeddings' fits take about 80 iterations (Nocedal & Wright, "Numerical
// Optimization", 2nd ed., §7.2 on H₀; §5.1 on preconditioning). The objective, and so its optimum, does not change:
// only the path to it, and the guess can be as rough as it likes without changing the answer.
//
// Convergence is measured in the same coordinates: the largest component of U⁻ᵀ·g. There the objective's distance
// from its minimum is about ‖U⁻ᵀ·g‖²/(2·c̄), which a plain gradient cannot tell (it is small along the directions of
// large curvature and large along the flat ones, and the flat ones are where the optimum is least determined).

/// An inverse-Hessian guess for ``minimizeLBFGS(parameterCount:memory:maxIterations:tolerance:start:preconditioner:_:)``.
protocol LBFGSPreconditioner {
    /// P·v, with P the guess at the inverse Hessian (symmetric positive definite).
    func apply(_ v: [Double]) -> [Double]
    /// L⁻¹·v for P = (L·Lᵀ)⁻¹: a vector whose squared length is vᵀ·P·v. Of a gradient: the gradient in the
    /// coordinates where the curvature is about the same in every direction, whose largest component decides
    /// convergence.
    func whiten(_ v: [Double]) -> [Double]
}

/// The curvature guess of the penalized softmax log-loss on these rows (see the file's comment), over parameters laid
/// out as ``SoftmaxObjective`` lays them out: `[W (r x d) row-major, b (r)]`.
struct SoftmaxPreconditioner: LBFGSPreconditioner {
    /// The most columns a fit is preconditioned at (see `LogisticRegression.solve`).
    static let largestWidth = 512
    /// d + 1: a class's weights and intercept.
    let size: Int
    /// r: classes with their own parameters.
    let classes: Int
    /// U, column-major upper triangular `size x size`, with A = UᵀU.
    let factor: [Double]
    /// Where each parameter goes in the `size x classes` column-major layout the solves work on (column q: class q's
    /// weights, then its intercept).
    let layout: [Int]

    /// The guess for rows `x` (row-major `rows x columns`), `freeRows` classes with parameters, inverse penalty `c`
    /// and per-column penalty multipliers (nil: 1). Nil when A cannot be factored (non-finite rows).
    /// - Complexity: O(rows·columns²/2 + columns³/3), in BLAS and LAPACK.
    init?(x: [Double], rows n: Int, columns d: Int, freeRows r: Int, c: Double, penaltyWeights: [Double]?) {
        guard n > 0 else { return nil }
        let size = d + 1
        var moments = [Double](repeating: 0, count: d * d)  // upper triangle of XᵀX/n, row-major
        x.withUnsafeBufferPointer { xp in
            moments.withUnsafeMutableBufferPointer { mp in
                guard let xb = xp.baseAddress, let mb = mp.baseAddress else { return }
                BLAS.dsyrkAtA(xb, alpha: 1 / Double(n), into: mb, n: d, k: n)
            }
        }
        var sums = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { sums[j] += x[i * d + j] } }
        let ridge = 1 / (c * Double(n) * 0.1)  // 1/(C·n·c̄)
        var a = [Double](repeating: 0, count: size * size)
        for i in 0..<d {
            for j in i..<d {
                let value = moments[i * d + j] + (i == j ? ridge * (penaltyWeights?[i] ?? 1) : 0)
                a[j * size + i] = value
                a[i * size + j] = value
            }
            a[d * size + i] = sums[i] / Double(n)
            a[i * size + d] = sums[i] / Double(n)
        }
        a[d * size + d] = 1
        guard a.allSatisfy(\.isFinite),
              a.withUnsafeMutableBufferPointer({ $0.baseAddress.map { BLAS.choleskyUpper($0, n: size) } ?? false })
        else { return nil }
        self.size = size
        self.classes = r
        self.factor = a
        // Parameters are [W (r x d) row-major, b (r)]: weight (q, j) and intercept q.
        self.layout = (0..<r).flatMap { q in (0..<d).map { q * size + $0 } } + (0..<r).map { $0 * size + d }
    }

    /// The parameters in the solves' layout.
    private func columns(_ v: [Double]) -> [Double] {
        var b = [Double](repeating: 0, count: v.count)
        for (t, place) in layout.enumerated() { b[place] = v[t] }
        return b
    }

    /// The inverse of ``columns(_:)``.
    private func parameters(_ b: [Double]) -> [Double] { layout.map { b[$0] } }

    private func solve(_ b: inout [Double], transposed: Bool) {
        factor.withUnsafeBufferPointer { up in
            b.withUnsafeMutableBufferPointer { bp in
                guard let ub = up.baseAddress, let bb = bp.baseAddress else { return }
                BLAS.solveUpper(ub, transposed: transposed, bb, n: size, columns: classes)
            }
        }
    }

    /// A⁻¹·v = U⁻¹·U⁻ᵀ·v.
    func apply(_ v: [Double]) -> [Double] {
        var b = columns(v)
        solve(&b, transposed: true)
        solve(&b, transposed: false)
        return parameters(b)
    }

    /// U⁻ᵀ·v (in the column layout; only its length and largest component are used).
    func whiten(_ v: [Double]) -> [Double] {
        var b = columns(v)
        solve(&b, transposed: true)
        return b
    }
}
