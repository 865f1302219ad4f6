// Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, "Numerical Optimization", 2nd ed.).
//
// L-BFGS keeps the last m steps s = x_{k+1} − x_k and gradient changes y = g_{k+1} − g_k and, with the
// two-loop recursion (Alg. 7.4), applies an approximation of the inverse Hessian to the gradient in O(m·p)
// time, without ever forming a p x p matrix. The line search (Alg. 3.5, zoom Alg. 3.6) finds a step α with
//   sufficient decrease  f(x + αd) ≤ f(x) + c₁·α·∇f·d           (c₁ = 1e-4)
//   curvature            |∇f(x + αd)·d| ≤ c₂·|∇f·d|              (c₂ = 0.9)
// which guarantees s·y > 0, so the update stays positive definite.

struct LBFGSResult {
    var x: [Double]
    var value: Double
    var gradientNorm: Double
    var iterations: Int
    var converged: Bool
}

/// Minimizes a smooth function from the origin (or `start`) until max |∇f| ≤ `tolerance` or `maxIterations` iterations.
/// If the line search cannot make progress (at the limit of floating-point precision), it stops early and
/// reports `converged` by the gradient test alone.
///
/// With a `preconditioner` P, the initial inverse-Hessian approximation of each iteration is γ·P instead of γ·I
/// (γ = sᵀy / yᵀPy), and the gradient test is on P's whitened gradient (``LBFGSPreconditioner/whiten(_:)``): the
/// method is then L-BFGS in the coordinates where P is the identity. The minimum is the same; with a good P it is
/// reached in far fewer iterations.
func minimizeLBFGS(parameterCount p: Int, memory: Int, maxIterations: Int, tolerance: Double, start: [Double]? = nil,
                   preconditioner: (any LBFGSPreconditioner)? = nil,
                   _ f: (_ x: [Double]) -> (value: Double, gradient: [Double])) -> LBFGSResult {
    withoutActuallyEscaping(f) { f in
        minimizeLBFGS(parameterCount: p, memory: memory, maxIterations: maxIterations, tolerance: tolerance,
                      start: start, preconditioner: preconditioner, PointwiseObjective(f: f))
    }
}

/// A smooth function that L-BFGS evaluates at points and, in its line searches, along lines from a point it
/// evaluated before, reusing what that evaluation kept (`State`).
protocol LineObjective {
    associatedtype State
    /// f and ∇f at `x`, and what an evaluation along a line from `x` needs.
    func evaluate(_ x: [Double]) -> (value: Double, gradient: [Double], state: State)
    /// f and ∇f at `x + α·direction`, for each α the line search tries, from the state of `x`'s evaluation.
    func line(from x: [Double], state: State, direction: [Double]) -> (Double) -> (value: Double, gradient: [Double], state: State)
}

/// A function known only pointwise: along a line it is evaluated at x + α·d.
struct PointwiseObjective: LineObjective {
    let f: (_ x: [Double]) -> (value: Double, gradient: [Double])

    func evaluate(_ x: [Double]) -> (value: Double, gradient: [Double], state: Void) {
        let (value, gradient) = f(x)
        return (value, gradient, ())
    }

    func line(from x: [Double], state: Void, direction: [Double]) -> (Double) -> (value: Double, gradient: [Double], state: Void) {
        { alpha in
            var point = x
            axpy(alpha, direction, &point)
            return evaluate(point)
        }
    }
}

/// ``minimizeLBFGS(parameterCount:memory:maxIterations:tolerance:start:preconditioner:_:)`` of a ``LineObjective``.
func minimizeLBFGS<Objective: LineObjective>(parameterCount p: Int, memory: Int, maxIterations: Int, tolerance: Double,
                                             start: [Double]? = nil, preconditioner: (any LBFGSPreconditioner)? = nil,
                                             _ f: Objective) -> LBFGSResult {
    func apply(_ v: [Double]) -> [Double] { preconditioner?.apply(v) ?? v }
    func whitened(_ v: [Double]) -> [Double] { preconditioner?.whiten(v) ?? v }
    // A warm start (finite, the right size) changes where the descent begins, not the stopping rule.
    var x = start.flatMap { $0.count == p && $0.allSatisfy(\.isFinite) ? $0 : nil } ?? [Double](repeating: 0, count: p)
    var (value, gradient, state) = f.evaluate(x)
    var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
    var iterations = 0
    while iterations < maxIterations, infinityNorm(whitened(gradient)) > tolerance {
        // Two-loop recursion: direction = −H·g.
        var q = gradient
        var alphas = [Double](repeating: 0, count: sHistory.count)
        for i in stride(from: sHistory.count - 1, through: 0, by: -1) {
            alphas[i] = rhoHistory[i] * dot(sHistory[i], q)
            axpy(-alphas[i], yHistory[i], &q)
        }
        if let s = sHistory.last, let y = yHistory.last {
            let gamma = dot(s, y) / norm2Squared(whitened(y))  // H₀ = γP, Nocedal & Wright (7.20) in P's coordinates
            q = apply(q)
            for i in q.indices { q[i] *= gamma }
        } else {
            let scale = 1 / max(1, norm2(whitened(gradient)))  // first step: unit length at most (in P's coordinates)
            q = apply(q)
            for i in q.indices { q[i] *= scale }
        }
        for i in sHistory.indices {
            let beta = rhoHistory[i] * dot(yHistory[i], q)
            axpy(alphas[i] - beta, sHistory[i], &q)
        }
        var direction = q.map { -$0 }
        var slope = dot(gradient, direction)
        if !(slope < 0) {  // not a descent direction (numerical trouble): restart from steepest descent
            sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
            let scale = 1 / max(1, norm2(whitened(gradient)))
            direction = apply(gradient).map { -$0 * scale }
            slope = dot(gradient, direction)
        }
        guard let step = strongWolfeLineSearch(value: value, slope: slope, direction: direction,
                                               f.line(from: x, state: state, direction: direction)),
              let stepState = step.state  // every point tried has one; only the line's origin (α = 0) has none
        else {
            if sHistory.isEmpty { break }  // even steepest descent fails: no further progress possible
            sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
            continue
        }
        var s = direction
        for i in s.indices { s[i] *= step.alpha }
        var y = step.gradient
        axpy(-1, gradient, &y)
        let sy = dot(s, y)
        if sy > 1e-12 * dot(y, y) {
            if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
            sHistory.append(s)
            yHistory.append(y)
            rhoHistory.append(1 / sy)
        }
        let previous = value
        axpy(step.alpha, direction, &x)
        value = step.value
        gradient = step.gradient
        state = stepState
        iterations += 1
        // Stalled at machine precision: the value no longer changes even in its last bits. (Deliberately
        // relative to |f| only, not to max(|f|, 1) as SciPy's `ftol` test, which stops early near f = 0.)
        if abs(previous - value) <= Double.ulpOfOne * max(abs(previous), abs(value)) { break }
    }
    let gNorm = infinityNorm(whitened(gradient))
    return LBFGSResult(x: x, value: value, gradientNorm: gNorm, iterations: iterations, converged: gNorm <= tolerance)
}

private struct LineSearchPoint<State> {
    var alpha: Double
    var value: Double
    var gradient: [Double]
    var slope: Double
    var state: State?
}

/// A step length satisfying the strong Wolfe conditions along `direction`, or nil after too many trials.
/// `f(α)` is the function and gradient at x + α·direction.
private func strongWolfeLineSearch<State>(value f0: Double, slope d0: Double, direction: [Double],
                                          _ f: (Double) -> (value: Double, gradient: [Double], state: State))
    -> LineSearchPoint<State>? {
    let c1 = 1e-4, c2 = 0.9
    func evaluate(_ alpha: Double) -> LineSearchPoint<State> {
        let (v, g, state) = f(alpha)
        return LineSearchPoint(alpha: alpha, value: v, gradient: g, slope: dot(g, direction), state: state)
    }
    func zoom(_ lo: LineSearchPoint<State>, _ hi: LineSearchPoint<State>) -> LineSearchPoint<State>? {
        var lo = lo, hi = hi
        for _ in 0..<40 {
            let alpha = cubicMinimizer(lo, hi)
            let point = evaluate(alpha)
            if !point.value.isFinite || point.value > f0 + c1 * alpha * d0 || point.value >= lo.value {
                hi = point
            } else {
                if abs(point.slope) <= -c2 * d0 { return point }
                if point.slope * (hi.alpha - lo.alpha) >= 0 { hi = lo }
                lo = point
            }
            if abs(hi.alpha - lo.alpha) <= Double.ulpOfOne * max(1, lo.alpha) { break }
        }
        // Interval exhausted: accept the best point if it at least decreases the function sufficiently.
        return lo.alpha > 0 && lo.value <= f0 + c1 * lo.alpha * d0 ? lo : nil
    }
    var previous = LineSearchPoint<State>(alpha: 0, value: f0, gradient: [], slope: d0, state: nil)
    var alpha = 1.0
    for i in 0..<30 {
        let point = evaluate(alpha)
        if !point.value.isFinite || point.value > f0 + c1 * alpha * d0 || (i > 0 && point.value >= previous.value) {
            return zoom(previous, point)
        }
        if abs(point.slope) <= -c2 * d0 { return point }
        if point.slope >= 0 { return zoom(point, previous) }
        previous = point
        alpha *= 2
    }
    return nil
}

/// The minimizer of the cubic through two points' values and slopes, kept inside the middle 80% of the
/// interval (bisection when the cubic has no usable minimum).
private func cubicMinimizer<State>(_ a: LineSearchPoint<State>, _ b: LineSearchPoint<State>) -> Double {
    let lower = min(a.alpha, b.alpha), upper = max(a.alpha, b.alpha), width = upper - lower
    let middle = lower + width / 2
    guard a.value.isFinite, b.value.isFinite else { return middle }
    let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.alpha - b.alpha)
    let discriminant = d1 * d1 - a.slope * b.slope
    guard discriminant >= 0 else { return middle }
    let d2 = (b.alpha > a.alpha ? 1.0 : -1.0) * discriminant.squareRoot()
    let t = b.alpha - (b.alpha - a.alpha) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2)
    guard t.isFinite, t >= lower + 0.1 * width, t <= upper - 0.1 * width else { return middle }
    return t
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

func norm2(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

func norm2Squared(_ a: [Double]) -> Double { dot(a, a) }

func infinityNorm(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }

/// y += a·x
func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += a * x[i] }
}
