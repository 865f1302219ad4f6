@testable import BelayLab
import Foundation
import Testing

/// The logistic regression's curvature guess changes the path to the optimum, never the optimum.
@Suite struct PreconditionerTests {
    /// Correlated columns of very different spreads (the embeddings' trouble, in miniature): blobs mixed by a matrix
    /// whose columns scale from 1e-1 to 1e1, with a shared offset so the intercept couples with every weight.
    func illConditioned(rows: Int, columns: Int, seed: UInt64) -> (x: [Double], y: [Int]) {
        let (z, y) = Fixtures.blobs(rows: rows, columns: columns, seed: seed, spread: 2)
        let mixing = Fixtures.gaussian(columns * columns, seed: seed &+ 1)
        var x = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                var s = 0.0
                for k in 0..<columns { s += z[i * columns + k] * mixing[k * columns + j] }
                let scale = Foundation.pow(10, -1 + 2 * Double(j) / Double(columns - 1))
                x[i * columns + j] = 3 + s * scale
            }
        }
        return (x, y)
    }

    @Test func applyIsTheInverseOfTheCurvatureGuess_andWhitenIsItsSquareRoot() throws {
        let rows = 50, d = 4, r = 3
        let (x, _) = illConditioned(rows: rows, columns: d, seed: 3)
        let weights = [1.0, 2, 0.5, 4]
        let p = try #require(SoftmaxPreconditioner(x: x, rows: rows, columns: d, freeRows: r, c: 0.5, penaltyWeights: weights))
        // A from its definition: second moments of (x, 1) plus the penalty's ridge on the weights.
        let ridge = 1 / (0.5 * Double(rows) * 0.1)
        func a(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for row in 0..<rows {
                let xi = i == d ? 1 : x[row * d + i], xj = j == d ? 1 : x[row * d + j]
                s += xi * xj
            }
            return s / Double(rows) + (i == j && i < d ? ridge * weights[i] : 0)
        }
        let v = Fixtures.gaussian(r * (d + 1), seed: 9)
        let pv = p.apply(v)
        // Parameters are [W (r x d), b (r)]: class q's augmented vector is (W_q, b_q).
        for q in 0..<r {
            func entry(_ u: [Double], _ i: Int) -> Double { i < d ? u[q * d + i] : u[r * d + q] }
            for i in 0...d {
                let back = (0...d).reduce(0.0) { $0 + a(i, $1) * entry(pv, $1) }
                #expect(abs(back - entry(v, i)) <= 1e-9 * max(1, abs(entry(v, i))), "class \(q), row \(i)")
            }
        }
        let quadratic = zip(v, pv).reduce(0.0) { $0 + $1.0 * $1.1 }
        let whitened = p.whiten(v).reduce(0.0) { $0 + $1 * $1 }
        #expect(abs(quadratic - whitened) <= 1e-9 * quadratic)
    }

    @Test func aMatrixThatCannotBeFactoredGivesNoGuess() {
        #expect(SoftmaxPreconditioner(x: [1, .nan, 3, 4], rows: 2, columns: 2, freeRows: 3, c: 1, penaltyWeights: nil) == nil)
    }

    /// The penalized softmax log-loss divided by C·n (C = 1), written out in double precision as an independent
    /// reference: parameters `[W (3 x d), b (3)]`.
    func exactObjective(_ theta: [Double], x: [Double], y: [Int], rows: Int, columns d: Int) -> (value: Double, gradient: [Double]) {
        var value = 0.0, gradient = [Double](repeating: 0, count: theta.count)
        for i in 0..<rows {
            var z = [0.0, 0, 0]
            for q in 0..<3 {
                z[q] = theta[3 * d + q]
                for j in 0..<d { z[q] += theta[q * d + j] * x[i * d + j] }
            }
            let top = z.max() ?? 0
            let logSum = top + Foundation.log(z.reduce(0.0) { $0 + Foundation.exp($1 - top) })
            value += logSum - z[y[i]]
            for q in 0..<3 {
                let g = Foundation.exp(z[q] - logSum) - (y[i] == q ? 1 : 0)
                for j in 0..<d { gradient[q * d + j] += g * x[i * d + j] }
                gradient[3 * d + q] += g
            }
        }
        let n = Double(rows)
        for t in 0..<theta.count {
            gradient[t] /= n
            if t < 3 * d {
                value += 0.5 * theta[t] * theta[t]  // (½‖W‖²) / (C·n) after the division below
                gradient[t] += theta[t] / n
            }
        }
        return (value / n, gradient)
    }

    @Test func preconditionedAndPlainL_BFGS_reachTheSameOptimum_theFormerInFarFewerIterations() throws {
        let rows = 400, d = 8
        let (x, y) = illConditioned(rows: rows, columns: d, seed: 11)
        // The optimum of the objective in double precision, by plain L-BFGS to 1e-6 on the plain gradient (it needs
        // thousands of iterations; beyond about 2e-7 the value stops changing in its last bits).
        let exact = minimizeLBFGS(parameterCount: 3 * (d + 1), memory: 10, maxIterations: 100_000, tolerance: 1e-6) {
            exactObjective($0, x: x, y: y, rows: rows, columns: d)
        }
        #expect(exact.converged)
        // Belay's objective, with and without the curvature guess, to their working tolerances.
        let objective = SoftmaxObjective(x: x, rows: rows, columns: d, labels: y, classCount: 3, c: 1)
        let guess = try #require(SoftmaxPreconditioner(x: x, rows: rows, columns: d, freeRows: 3, c: 1, penaltyWeights: nil))
        let plain = minimizeLBFGS(parameterCount: objective.parameterCount, memory: 10, maxIterations: 100_000,
                                  tolerance: 1e-5, objective)
        let conditioned = minimizeLBFGS(parameterCount: objective.parameterCount, memory: 10, maxIterations: 1000,
                                        tolerance: 1e-5, preconditioner: guess, objective)
        #expect(conditioned.converged)
        #expect(conditioned.iterations * 4 < plain.iterations, "\(conditioned.iterations) vs \(plain.iterations) iterations")
        // Within about 1e-7 of the minimum, as the tolerance promises.
        #expect(conditioned.value - exact.value <= 1e-6, "\(conditioned.value) vs \(exact.value)")
        // The same model: the same predictions on every row, probabilities within 1e-3.
        func model(_ theta: [Double]) -> LogisticModel {
            LogisticModel(classCount: 3, columns: d, weights: Array(theta[0..<(3 * d)]), intercepts: Array(theta[(3 * d)...]))
        }
        let a = model(exact.x), b = model(conditioned.x)
        #expect(a.predict(x: x, rows: rows) == b.predict(x: x, rows: rows))
        let worst = zip(a.probabilities(x: x, rows: rows), b.probabilities(x: x, rows: rows)).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-3, "probabilities differ by up to \(worst)")
    }

    @Test func anExactGuessSolvesAQuadraticInAStepOrTwo() {
        // LBFGSTests' quadratic, and P = its inverse Hessian.
        struct Exact: LBFGSPreconditioner {
            let curvatures: [Double]
            func apply(_ v: [Double]) -> [Double] { zip(v, curvatures).map { $0 / (2 * $1) } }
            func whiten(_ v: [Double]) -> [Double] { zip(v, curvatures).map { $0 / (2 * $1).squareRoot() } }
        }
        let result = minimizeLBFGS(parameterCount: 20, memory: 10, maxIterations: 1000, tolerance: 1e-10,
                                   preconditioner: Exact(curvatures: LBFGSTests.curvatures)) {
            LBFGSTests.illConditionedQuadratic($0)
        }
        #expect(result.converged)
        #expect(result.iterations <= 2, "\(result.iterations) iterations")
        #expect((0..<20).allSatisfy { abs(result.x[$0] - Double($0)) < 1e-9 })
    }
}
