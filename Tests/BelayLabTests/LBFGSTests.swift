@testable import BelayLab
import Testing

@Suite struct LBFGSTests {
    /// Curvatures from 1 to 10⁴ of ``illConditionedQuadratic(_:)``.
    static let curvatures = (0..<20).map { Double(1 + ($0 * 10_000) / 19) }

    /// Σ c_i (x_i - i)² over 20 coordinates, minimum 0 at x_i = i.
    static func illConditionedQuadratic(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        var value = 0.0, gradient = [Double](repeating: 0, count: 20)
        for i in 0..<20 {
            let d = x[i] - Double(i)
            value += curvatures[i] * d * d
            gradient[i] = 2 * curvatures[i] * d
        }
        return (value, gradient)
    }

    @Test func minimizesRosenbrock() {
        // f(x, y) = (1 - x)² + 100 (y - x²)², minimum 0 at (1, 1): the classic curved valley.
        let result = minimizeLBFGS(parameterCount: 2, memory: 10, maxIterations: 500, tolerance: 1e-9) { p in
            let x = p[0], y = p[1]
            let value = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
            return (value, [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
        }
        #expect(result.converged)
        #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6)
        #expect(result.iterations < 100)
    }

    @Test func minimizesAnIllConditionedQuadratic() {
        let result = minimizeLBFGS(parameterCount: 20, memory: 10, maxIterations: 1000, tolerance: 1e-8) {
            Self.illConditionedQuadratic($0)
        }
        #expect(result.converged)
        #expect(result.gradientNorm <= 1e-8)
        #expect((0..<20).allSatisfy { abs(result.x[$0] - Double($0)) < 1e-9 })
    }

    @Test func reportsNonConvergenceWhenOutOfIterations() {
        let result = minimizeLBFGS(parameterCount: 2, memory: 10, maxIterations: 2, tolerance: 1e-12) { p in
            let x = p[0], y = p[1]
            return ((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
                    [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
        }
        #expect(!result.converged)
        #expect(result.iterations == 2)
    }
}
