import BelayTestSupport
import BelayRoute
import Foundation
import Route020
import Testing

// The bounds' false-fail rates for honest students, computed exactly with SciPy: the tolerances are statistics,
// and these tests say how often each one would fail someone who did nothing wrong.

@Suite("Route 020: false-fail rates of the bounds, exactly (SciPy)",
       .enabled(if: Python.isAvailable("scipy")))
struct BoundStatisticsTests {
    /// For n training labels flipped each with probability r (the spread-out way), the chance that any of the nine
    /// rates falls outside `FlipRateBound` at z = 4: the rubric's comment promises below 0.1%.
    @Test(arguments: [400, 1323, 5000])
    func flipRateBoundRarelyFailsABernoulliStudent(_ n: Int) throws {
        var allowances: [String] = []
        for rate in Route020Submission.rateGrid where rate > 0 {
            let bound = FlipRateBound(rate: rate, trainCount: n, flips: 0, z: 4, rounding: 3)
            allowances.append("(\(rate), \(bound.expected), \(bound.allowance))")
        }
        let script = """
            import sys
            from scipy.stats import binom
            n = int(sys.argv[1])
            ok = 1.0
            for r, e, a in [\(allowances.joined(separator: ", "))]:
                lo, hi = e - a, e + a
                # P(lo <= X <= hi) for X ~ Binomial(n, r)
                inside = binom.cdf(int(hi + 1e-9), n, r) - binom.cdf(int(-(-lo // 1)) - 1, n, r)
                ok *= inside
            print(1 - ok)
            """
        let fail = try #require(Double(try Python.output(script: script, arguments: [String(n)]).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(fail < 1e-3, "n = \(n): an honest student fails some rate with probability \(fail)")
    }

    /// An exact-count student (round(r·n) flips) is always inside; one drawing from all three classes (two thirds
    /// of the rate) is outside at the larger rates whenever n is the course's size.
    @Test func exactCountsPassAndTwoThirdsFail() {
        for rate in Route020Submission.rateGrid where rate > 0 {
            let n = 1323
            let exact = Int((rate * Double(n)).rounded())
            #expect(FlipRateBound(rate: rate, trainCount: n, flips: exact, z: 4, rounding: 3).holds)
            let twoThirds = Int((rate * Double(n) * 2 / 3).rounded())
            if rate >= 0.15 {
                #expect(!FlipRateBound(rate: rate, trainCount: n, flips: twoThirds, z: 4, rounding: 3).holds, "rate \(rate)")
            }
        }
    }

    /// The flip-target bound at z = 4 for m flips split Binomial(m, 1/2): the chance of a false fail, per class and
    /// rate, is below 1e-4 (27 such tests per submission).
    @Test(arguments: [5, 30, 150, 600])
    func flipTargetBoundRarelyFails(_ m: Int) throws {
        let bound = FlipTargetBound(from: "a", to: "b", flipsFrom: m, count: 0, classCount: 3, z: 4)
        let script = """
            import sys, math
            from scipy.stats import binom
            m, e, a = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
            lo, hi = math.ceil(e - a - 1e-9), math.floor(e + a + 1e-9)
            print(1 - (binom.cdf(hi, m, 0.5) - binom.cdf(lo - 1, m, 0.5)))
            """
        let output = try Python.output(
            script: script, arguments: [String(m), String(bound.expected), String(bound.allowance)])
        let fail = try #require(Double(output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(fail < 1e-4, "m = \(m): false-fail probability \(fail)")
    }

    /// The curve's bound is a Wilson interval: Belay's Lab computes it as SciPy's `binomtest(...).proportion_ci`.
    @Test func theCurveBoundIsSciPysWilsonInterval() throws {
        let rerun = CurveRerun(
            accuracies: [(.standardizedLogistic, 0.70), (.regularizedLogistic, 250.0 / 331), (.nearestNeighbors, 0.6),
                         (.majority, 226.0 / 331)],
            trainCount: 1323, testCount: 331)
        let judgement = CurveJudgement(rate: 0.1, reported: 0.8, rerun: rerun, z: 3)
        let script = """
            from scipy.stats import binomtest, norm
            ci = binomtest(250, 331).proportion_ci(confidence_level=2 * norm.cdf(3) - 1, method="wilson")
            print(ci.high)
            """
        let high = try #require(Double(try Python.output(script: script).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(abs(judgement.upper - high) < 1e-9, "Belay \(judgement.upper), SciPy \(high)")
        #expect(judgement.holds)
        #expect(!CurveJudgement(rate: 0.1, reported: high + 0.001, rerun: rerun, z: 3).holds)
    }
}
