// Confidence bounds for an accuracy: a share of n test proteins predicted correctly is a binomial proportion.
//
// An accuracy p̂ measured on n test proteins moves from one test set (or one solver) to the next by about its
// standard error sqrt(p̂(1-p̂)/n): about 0.05 at n = 60. A grader comparing a student's figure with its own rerun
// must allow for that, and more at small n. The Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001,
// "Interval Estimation for a Binomial Proportion") is the interval of all p whose z-test does not reject p̂:
//     centre = (p̂ + z²/2n) / (1 + z²/n)
//     half   = z / (1 + z²/n) · sqrt(p̂(1-p̂)/n + z²/4n²)
// Unlike the Wald interval p̂ ± z·se it stays inside 0…1 and does not collapse to a point at p̂ = 0 or 1, which is
// where classifiers' accuracies often sit. It equals SciPy's `binomtest(k, n).proportion_ci(method="wilson")`
// and statsmodels' `proportion_confint(k, n, alpha, method="wilson")` with alpha = 2·(1 − Φ(z)).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A two-sided interval for a proportion, with the z it was computed at.
public struct ProportionInterval: Sendable, Equatable {
    /// The lower bound (≥ 0).
    public var lower: Double
    /// The upper bound (≤ 1).
    public var upper: Double
    /// Standard errors the interval spans either side.
    public var z: Double
}

/// Confidence bounds of binomial proportions (accuracies on a test set).
public enum ConfidenceBounds {
    /// The Wilson score interval of a proportion `proportion` observed on `count` trials, `z` standard errors wide.
    ///
    /// `proportion` is clamped into 0…1. With `count` ≤ 0 nothing is known and the interval is 0…1.
    /// - Complexity: O(1).
    public static func wilson(proportion: Double, count: Int, z: Double) -> ProportionInterval {
        precondition(z >= 0 && z.isFinite, "wilson: z must be finite and non-negative, not \(z)")
        guard count > 0, proportion.isFinite else { return ProportionInterval(lower: 0, upper: 1, z: z) }
        let p = min(1, max(0, proportion))
        let n = Double(count)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At p̂ = 0 (or 1) the bound is exactly 0 (or 1); say so rather than leave a rounding residue.
        let lower = p == 0 ? 0 : max(0, centre - half)
        let upper = p == 1 ? 1 : min(1, centre + half)
        return ProportionInterval(lower: lower, upper: upper, z: z)
    }

    /// The Wilson upper bound: the largest true accuracy that `proportion` on `count` trials does not rule out at `z`.
    /// - Complexity: O(1).
    public static func wilsonUpper(proportion: Double, count: Int, z: Double) -> Double {
        wilson(proportion: proportion, count: count, z: z).upper
    }

    /// The Wilson lower bound: the smallest true accuracy that `proportion` on `count` trials does not rule out at `z`.
    /// - Complexity: O(1).
    public static func wilsonLower(proportion: Double, count: Int, z: Double) -> Double {
        wilson(proportion: proportion, count: count, z: z).lower
    }

    /// The binomial standard error sqrt(p(1-p)/n) of a proportion `proportion` on `count` trials (0 when `count` ≤ 0).
    /// - Complexity: O(1).
    public static func standardError(proportion: Double, count: Int) -> Double {
        guard count > 0 else { return 0 }
        let p = min(1, max(0, proportion))
        return (p * (1 - p) / Double(count)).squareRoot()
    }

    /// The two-sided confidence level of a ±`z` interval, 2·Φ(z) − 1 (0.9973 for z = 3).
    /// - Complexity: O(1).
    public static func twoSidedConfidence(z: Double) -> Double {
        erf(z / 2.0.squareRoot())
    }
}
