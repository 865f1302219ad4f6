import BelayLab
import BelayTestSupport
import Testing

@Suite struct ConfidenceBoundsTests {
    @Test func wilsonByHand() {
        // p̂ = 0.8 on n = 100 at z = 2: centre (0.8 + 0.02) / 1.04, half 2/1.04 · sqrt(0.0016 + 0.0001).
        let interval = ConfidenceBounds.wilson(proportion: 0.8, count: 100, z: 2)
        let half = 2 / 1.04 * 0.0017.squareRoot()
        #expect(abs(interval.lower - (0.82 / 1.04 - half)) < 1e-15)
        #expect(abs(interval.upper - (0.82 / 1.04 + half)) < 1e-15)
        #expect(interval.z == 2)
    }

    @Test func wilsonStaysInsideTheUnitIntervalAndIsNotAPointAtTheEnds() {
        let perfect = ConfidenceBounds.wilson(proportion: 1, count: 10, z: 3)
        #expect(perfect.upper == 1)
        #expect(perfect.lower > 0.4 && perfect.lower < 0.6)
        let zero = ConfidenceBounds.wilson(proportion: 0, count: 10, z: 3)
        #expect(zero.lower == 0 && zero.upper > 0.4)
        let nothing = ConfidenceBounds.wilson(proportion: 0.7, count: 0, z: 3)
        #expect(nothing.lower == 0 && nothing.upper == 1)
    }

    @Test func wilsonNarrowsWithMoreTrialsAndWidensWithZ() {
        let small = ConfidenceBounds.wilsonUpper(proportion: 0.814, count: 59, z: 3)
        let large = ConfidenceBounds.wilsonUpper(proportion: 0.814, count: 590, z: 3)
        let loose = ConfidenceBounds.wilsonUpper(proportion: 0.814, count: 59, z: 4)
        #expect(large < small && small < loose)
        // The case: 0.867 reported on 60 proteins is well inside 3 standard errors of a 0.814 rerun.
        #expect(small > 0.867)
        #expect(abs(ConfidenceBounds.standardError(proportion: 0.8, count: 60) - 0.0516) < 1e-4)
    }

    @Test func twoSidedConfidenceOfZ() {
        #expect(abs(ConfidenceBounds.twoSidedConfidence(z: 1.959964) - 0.95) < 1e-6)
        #expect(abs(ConfidenceBounds.twoSidedConfidence(z: 3) - 0.99730020) < 1e-8)
    }

    /// SciPy's `binomtest(k, n).proportion_ci(method="wilson")` at the confidence level of ±z, for a grid of k, n, z.
    @Test(.enabled(if: Reference.isAvailable, "needs SciPy (CI requires it)"))
    func matchesSciPy() throws {
        var cases: [(k: Int, n: Int, z: Double)] = []
        for n in [1, 7, 55, 60, 331, 1654] {
            for k in Set([0, 1, n / 3, n / 2, (4 * n) / 5, n - 1, n]) where k >= 0 && k <= n {
                for z in [1.0, 1.96, 3.0, 4.5] { cases.append((k, n, z)) }
            }
        }
        let input = cases.map { "\($0.k) \($0.n) \($0.z)" }.joined(separator: "\n") + "\n"
        let out = try Reference.run("""
            import sys
            from scipy.stats import binomtest, norm
            for line in sys.stdin:
                k, n, z = line.split()
                k, n, z = int(k), int(n), float(z)
                ci = binomtest(k, n).proportion_ci(confidence_level=2 * norm.cdf(z) - 1, method="wilson")
                print("%.17g %.17g" % (ci.low, ci.high))
            """, input: input)
        let r = Reference.numbers(out)
        try #require(r.count == 2 * cases.count)
        for (i, c) in cases.enumerated() {
            let interval = ConfidenceBounds.wilson(proportion: Double(c.k) / Double(c.n), count: c.n, z: c.z)
            #expect(abs(interval.lower - r[2 * i]) < 1e-9, "lower of \(c)")
            #expect(abs(interval.upper - r[2 * i + 1]) < 1e-9, "upper of \(c)")
        }
    }
}
