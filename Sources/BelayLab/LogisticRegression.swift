// The route's classifier: multinomial logistic regression with an L2 penalty, as scikit-learn's
// `LogisticRegression()` (C = 1, lbfgs) fits it.
//
// Model: for row x, class scores z_k = w_k·x + b_k and probabilities softmax(z). Fitting minimizes
//     C · Σ_i −log p(y_i | x_i)  +  ½ ||W||²        (intercepts b are not penalized)
// which is convex and smooth, so a quasi-Newton method finds its unique minimum. We minimize the same
// function divided by C·n (scikit-learn does the same), whose gradient does not grow with the data size, so
// one tolerance works for any n. With two classes scikit-learn fits one weight vector (binary logistic
// regression: p(class 1) = σ(w·x + b)), which is a different penalty from a two-row softmax; we do the same
// and store it as class 0 = zero row, class 1 = (w, b), which gives identical probabilities.
//
// Optimizer: L-BFGS (Nocedal & Wright, "Numerical Optimization", Alg. 7.4–7.5) with 10 correction pairs, a line
// search satisfying the strong Wolfe conditions (Alg. 3.5–3.6, cubic interpolation), and an initial matrix from
// the rows' second moments (`SoftmaxPreconditioner`), which makes it L-BFGS in coordinates where the rows have unit
// covariance. It stops when the largest gradient component in those coordinates is ≤ `tolerance`: that is what
// `converged` reports. There the objective's distance from its minimum is about ‖gradient‖²/(2·c̄), c̄ ≈ 0.1, so
// the default 1e-5 puts a fit within about 1e-7 of the minimum. (Fits with more columns than rows, or more than
// 512, run without the guess, which would cost more than it saves; their test is on the plain gradient, which along
// the flattest directions, where the penalty's curvature 1/(C·n) is all there is, bounds the distance alike.)
// The X·Wᵀ and Gᵀ·X products are BLAS calls.

/// Settings of an L2-penalized multinomial logistic regression.
public struct LogisticRegression: Sendable, Equatable {
    /// Inverse penalty strength (scikit-learn's `C`): larger means a weaker penalty.
    public var c: Double
    /// Most L-BFGS iterations (each needs one or a few function evaluations).
    public var maxIterations: Int
    /// Convergence threshold on the largest absolute gradient component of the objective divided by C·n, in the
    /// coordinates where the training rows have unit covariance (``SoftmaxPreconditioner``); for fits wider than
    /// their rows, or wider than 512 columns, which are not preconditioned, in the columns as given.
    public var tolerance: Double
    /// Number of L-BFGS correction pairs kept (scikit-learn/SciPy use 10).
    public var memory: Int = 10

    /// Creates the settings; the defaults match scikit-learn's `LogisticRegression()` objective, with a tighter
    /// tolerance (scikit-learn's 1e-4 on the plain gradient leaves the optimum less exactly determined). Below about
    /// 1e-6 the single-precision products of the objective no longer resolve the gradient.
    public init(c: Double = 1.0, maxIterations: Int = 1000, tolerance: Double = 1e-5) {
        precondition(c > 0, "C must be positive")
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Fits a model to a row-major `rows x columns` matrix and labels in `0..<classCount`.
    ///
    /// Classes absent from `labels` keep zero weights and an intercept of −∞ (probability 0, never predicted),
    /// as if they did not exist; scikit-learn instead learns only the classes it sees. With a single class
    /// present the model predicts it everywhere (no optimization needed).
    /// - Complexity: O(iterations x rows x columns x classCount), in BLAS.
    ///
    /// `warmStart`, a model fitted earlier on the same columns and classes (another split of the same features),
    /// is where the optimizer starts instead of zero. The objective is strictly convex, so the optimum is the same
    /// and the same gradient tolerance ends the fit; only the number of iterations changes. A model of another
    /// shape is ignored.
    public func fit(x: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int,
                    warmStart: LogisticModel? = nil) -> LogisticModel {
        fit(x: x, rows: rows, columns: columns, labels: labels, classCount: classCount, warmStart: warmStart,
            penaltyWeights: nil)
    }

    /// The fit of ``fit(x:rows:columns:labels:classCount:warmStart:)`` on raw rows (scikit-learn's
    /// `LogisticRegression()` without a scaler), solved in standardized coordinates.
    ///
    /// On raw features of very different scales (a length in the thousands beside counts in the tens) the objective's
    /// single-precision products would round the large, uncentred values, and plain L-BFGS from zero would need
    /// thousands of iterations (the curvature guess of ``SoftmaxPreconditioner`` also copes with the scales). With
    /// z = (x − m)/s (a `Standardizer` of these rows) and V = W·diag(s), c = b + W·m the scores are the same,
    /// `W·x + b = V·z + c`, and the penalty ½‖W‖² is ½ Σ V²/s²: the same objective under a one-to-one change of
    /// variables, so the same optimum, on centred values of unit spread. The model returned scores raw rows. `warmStart` (on raw
    /// rows) is where the optimizer starts; when a warm-started fit does not converge, the fit is made again from
    /// zero, so a warm start never changes an unconverged answer.
    /// - Complexity: O(iterations x rows x columns x classCount), in BLAS.
    public func fitUnscaled(x: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int,
                            warmStart: LogisticModel? = nil) -> LogisticModel {
        let scaler = Standardizer(fitting: x, rows: rows, columns: columns)
        let z = scaler.transform(x, rows: rows)
        let weights = scaler.scales.map { 1 / ($0 * $0) }
        func solve(_ start: LogisticModel?) -> LogisticModel {
            fit(x: z, rows: rows, columns: columns, labels: labels, classCount: classCount,
                warmStart: start?.standardized(by: scaler), penaltyWeights: weights).unstandardized(by: scaler)
        }
        if let warmStart, warmStart.columns == columns {
            let warm = solve(warmStart)
            if warm.converged { return warm }
        }
        return solve(nil)
    }

    /// `fit`, with the penalty on weight column j multiplied by `penaltyWeights[j]` (nil: 1 for every column).
    func fit(x: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int,
             warmStart: LogisticModel?, penaltyWeights: [Double]?) -> LogisticModel {
        precondition(x.count == rows * columns, "fit: \(x.count) values for \(rows) x \(columns)")
        precondition(labels.count == rows, "fit: \(labels.count) labels for \(rows) rows")
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "fit: labels outside 0..<\(classCount)")
        var present = [Bool](repeating: false, count: classCount)
        for l in labels { present[l] = true }
        let classes = (0..<classCount).filter { present[$0] }
        var model = LogisticModel(
            classCount: classCount, columns: columns,
            weights: [Double](repeating: 0, count: classCount * columns),
            intercepts: (0..<classCount).map { present[$0] ? 0 : -Double.infinity },
            iterations: 0, converged: true, gradientNorm: 0)
        guard classes.count >= 2 else { return model }

        var localOf = [Int](repeating: -1, count: classCount)
        for (k, c) in classes.enumerated() { localOf[c] = k }
        var problem = SoftmaxObjective(x: x, rows: rows, columns: columns, labels: labels.map { localOf[$0] },
                                       classCount: classes.count, c: c)
        problem.penaltyWeights = penaltyWeights
        var start: [Double]?
        if let warm = warmStart, warm.columns == columns, warm.classCount == classCount,
            classes.allSatisfy({ warm.intercepts[$0].isFinite }) {
            // Free rows as the objective lays them out; a binary problem's one row is class 1 minus class 0.
            let d = columns, free = problem.freeRows
            var theta = [Double](repeating: 0, count: problem.parameterCount)
            for r in 0..<free.count {
                let cls = classes[free[r]], base = classes.count == 2 ? classes[0] : nil
                for j in 0..<d { theta[r * d + j] = warm.weights[cls * d + j] - (base.map { warm.weights[$0 * d + j] } ?? 0) }
                theta[free.count * d + r] = warm.intercepts[cls] - (base.map { warm.intercepts[$0] } ?? 0)
            }
            start = theta
        }
        // The guess costs O(n·d² + d³) to make and O(d²·r) per iteration, the objective O(n·d·r) per evaluation:
        // with more columns than rows, or very many columns, making and applying it costs more than it saves.
        let preconditioner = columns <= min(rows, SoftmaxPreconditioner.largestWidth)
            ? SoftmaxPreconditioner(x: x, rows: rows, columns: columns, freeRows: problem.freeRows.count, c: c,
                                    penaltyWeights: penaltyWeights)
            : nil
        let result = minimizeLBFGS(parameterCount: problem.parameterCount, memory: memory,
                                   maxIterations: maxIterations, tolerance: tolerance, start: start,
                                   preconditioner: preconditioner, problem)
        // Unpack the free rows into the full class layout.
        let d = columns, free = problem.freeRows
        for r in 0..<free.count {
            let cls = classes[free[r]]
            for j in 0..<d { model.weights[cls * d + j] = result.x[r * d + j] }
            model.intercepts[cls] = result.x[free.count * d + r]
        }
        model.iterations = result.iterations
        model.converged = result.converged
        model.gradientNorm = result.gradientNorm
        return model
    }
}

/// A fitted multinomial logistic regression.
public struct LogisticModel: Sendable, Equatable {
    /// Number of classes (rows of `weights`).
    public var classCount: Int
    /// Number of features.
    public var columns: Int
    /// Weights, row-major `classCount x columns` (row k scores class k).
    public var weights: [Double]
    /// One intercept per class (−∞ for a class absent from the training labels).
    public var intercepts: [Double]
    /// L-BFGS iterations used.
    public var iterations: Int
    /// Whether the gradient criterion was met within `maxIterations`.
    public var converged: Bool
    /// Largest absolute gradient component at the end (of the objective divided by C·n).
    public var gradientNorm: Double

    /// A model with these coefficients (a warm start built by hand, a model read back).
    public init(classCount: Int, columns: Int, weights: [Double], intercepts: [Double], iterations: Int = 0,
                converged: Bool = true, gradientNorm: Double = 0) {
        precondition(weights.count == classCount * columns && intercepts.count == classCount,
                     "LogisticModel: \(weights.count) weights and \(intercepts.count) intercepts for \(classCount) x \(columns)")
        self.classCount = classCount
        self.columns = columns
        self.weights = weights
        self.intercepts = intercepts
        self.iterations = iterations
        self.converged = converged
        self.gradientNorm = gradientNorm
    }

    /// Class scores `X·Wᵀ + b`, row-major `rows x classCount`.
    /// - Complexity: O(rows x columns x classCount), in BLAS.
    public func decisionFunction(x: [Double], rows: Int) -> [Double] {
        precondition(x.count == rows * columns, "\(x.count) values for \(rows) x \(columns)")
        var z = [Double](repeating: 0, count: rows * classCount)
        x.withUnsafeBufferPointer { xp in
            weights.withUnsafeBufferPointer { wp in
                z.withUnsafeMutableBufferPointer { zp in
                    guard let xb = xp.baseAddress, let wb = wp.baseAddress, let zb = zp.baseAddress else { return }
                    BLAS.dgemm(transA: false, transB: true, m: rows, n: classCount, k: columns, xb, wb, into: zb)
                }
            }
        }
        for i in 0..<rows { for k in 0..<classCount { z[i * classCount + k] += intercepts[k] } }
        return z
    }

    /// Class probabilities (softmax of the scores), row-major `rows x classCount`.
    /// - Complexity: O(rows x columns x classCount).
    public func probabilities(x: [Double], rows: Int) -> [Double] {
        var p = decisionFunction(x: x, rows: rows)
        let k = classCount
        for i in 0..<rows {
            let row = i * k
            var top = -Double.infinity
            for j in 0..<k { top = max(top, p[row + j]) }
            var sum = 0.0
            for j in 0..<k { p[row + j] = (p[row + j] - top).exp; sum += p[row + j] }
            for j in 0..<k { p[row + j] /= sum }
        }
        return p
    }

    /// The most probable class of each row (ties: the smaller class index).
    /// - Complexity: O(rows x columns x classCount).
    public func predict(x: [Double], rows: Int) -> [Int] {
        let z = decisionFunction(x: x, rows: rows)
        return (0..<rows).map { i in
            var best = 0
            for k in 1..<max(1, classCount) where z[i * classCount + k] > z[i * classCount + best] { best = k }
            return best
        }
    }
}

/// The penalized softmax log-loss divided by C·n, over parameters `[W_free (r x d), b_free (r)]`.
struct SoftmaxObjective {
    /// The features in single precision: the two products per evaluation read all of X, so halving its bytes
    /// halves their memory traffic (scikit-learn likewise keeps float32 input in float32). Sums over rows and the
    /// optimizer itself stay in double precision.
    let x: [Float]
    let rows: Int, columns: Int
    let labels: [Int]
    let classCount: Int
    let c: Double
    /// Classes with their own parameters: all of them, or only class 1 for binary problems (class 0 fixed at 0).
    let freeRows: [Int]
    /// Per-column multipliers of the penalty (nil: 1 for every column).
    var penaltyWeights: [Double]?

    init(x: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int, c: Double) {
        self.x = x.map { Float($0) }
        self.rows = rows
        self.columns = columns
        self.labels = labels
        self.classCount = classCount
        self.c = c
        self.freeRows = classCount == 2 ? [1] : Array(0..<classCount)
    }

    var parameterCount: Int { freeRows.count * (columns + 1) }

    /// Class scores of the free rows, `X·W_freeᵀ + b_free` (n x r), for parameters `theta` (or a direction).
    func scores(_ theta: [Double]) -> [Double] {
        let n = rows, d = columns, r = freeRows.count
        let weights = theta[0..<(r * d)].map { Float($0) }
        var zf = [Float](repeating: 0, count: n * r)
        x.withUnsafeBufferPointer { xp in
            weights.withUnsafeBufferPointer { tp in
                zf.withUnsafeMutableBufferPointer { zp in
                    guard let xb = xp.baseAddress, let tb = tp.baseAddress, let zb = zp.baseAddress else { return }
                    BLAS.gemmABt(xb, tb, into: zb, m: n, n: r, k: d)
                }
            }
        }
        var z = [Double](repeating: 0, count: n * r)
        for i in 0..<n { for q in 0..<r { z[i * r + q] = Double(zf[i * r + q]) + theta[r * d + q] } }
        return z
    }

    /// Value and gradient at `theta`, whose free rows' scores are `z` (n x r).
    func valueAndGradient(_ theta: [Double], scores z: [Double]) -> (value: Double, gradient: [Double]) {
        let n = rows, d = columns, r = freeRows.count, k = classCount
        var loss = 0.0
        var g = [Float](repeating: 0, count: n * r)  // ∂loss_i/∂z_i for the free rows
        var logits = [Double](repeating: 0, count: k)
        var exps = [Double](repeating: 0, count: k)
        var gradient = [Double](repeating: 0, count: theta.count)
        let interceptStart = r * d
        for i in 0..<n {
            for j in 0..<k { logits[j] = 0 }
            for q in 0..<r { logits[freeRows[q]] = z[i * r + q] }
            var top = -Double.infinity
            for j in 0..<k { top = max(top, logits[j]) }
            var sum = 0.0
            for j in 0..<k {
                exps[j] = (logits[j] - top).exp
                sum += exps[j]
            }
            loss += top + sum.log - logits[labels[i]]
            // p = exp(logit − top) / Σ exp(· − top): the exponentials of the sum, once each.
            let inverse = 1 / sum
            for q in 0..<r {
                let cls = freeRows[q]
                let p = exps[cls] * inverse
                let gi = p - (labels[i] == cls ? 1 : 0)
                g[i * r + q] = Float(gi)
                gradient[interceptStart + q] += gi
            }
        }
        // ∇W = Gᵀ · X (r x d)
        var weightGradient = [Float](repeating: 0, count: r * d)
        g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                weightGradient.withUnsafeMutableBufferPointer { dp in
                    guard let gb = gp.baseAddress, let xb = xp.baseAddress, let db = dp.baseAddress else { return }
                    BLAS.sgemmAtB(gb, xb, into: db, m: r, n: d, k: n)
                }
            }
        }
        for t in 0..<(r * d) { gradient[t] = Double(weightGradient[t]) }
        let scale = 1 / Double(n), penalty = 1 / (c * Double(n))
        var squaredNorm = 0.0
        if let weights = penaltyWeights {
            for t in 0..<interceptStart {
                let w = weights[t % d]
                squaredNorm += w * theta[t] * theta[t]
                gradient[t] = gradient[t] * scale + penalty * w * theta[t]
            }
        } else {
            for t in 0..<interceptStart {
                squaredNorm += theta[t] * theta[t]
                gradient[t] = gradient[t] * scale + penalty * theta[t]
            }
        }
        for t in interceptStart..<theta.count { gradient[t] *= scale }
        return (loss * scale + 0.5 * penalty * squaredNorm, gradient)
    }
}

/// Along a line the scores are affine in the step, z(α) = z + α·(X·Dᵀ + d_b): the line search adds, in double
/// precision, the direction's scores (one single-precision product per line) to the scores kept from the point it
/// starts at, instead of multiplying X by each trial point's weights rounded to single precision. Rounding then
/// makes each line a smooth function of α, so the search still sees decreases of 1e-10 near the optimum, which
/// products recomputed in single precision at every trial drown in noise of about 1e-8 (and it saves one product
/// per trial). What the scores accumulate, about 1e-7 of each step relative, is far below the gradient tolerance.
extension SoftmaxObjective: LineObjective {
    func evaluate(_ theta: [Double]) -> (value: Double, gradient: [Double], state: [Double]) {
        let z = scores(theta)
        let (value, gradient) = valueAndGradient(theta, scores: z)
        return (value, gradient, z)
    }

    func line(from theta: [Double], state z: [Double], direction: [Double])
        -> (Double) -> (value: Double, gradient: [Double], state: [Double]) {
        let zd = scores(direction)
        return { alpha in
            var point = theta
            axpy(alpha, direction, &point)
            var za = z
            axpy(alpha, zd, &za)
            let (value, gradient) = valueAndGradient(point, scores: za)
            return (value, gradient, za)
        }
    }
}
