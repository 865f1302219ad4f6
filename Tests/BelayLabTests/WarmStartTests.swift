import BelayLab
import BelayTestSupport
import Testing

/// A warm-started fit must land on the cold fit's optimum: the objective is strictly convex, so only the path
/// (the iteration count) may differ, never the answer beyond the solver's tolerance.
@Suite struct WarmStartTests {
    /// Rows `range` of a row-major matrix.
    func rows(_ x: [Double], _ range: Range<Int>, columns: Int) -> [Double] {
        Array(x[(range.lowerBound * columns)..<(range.upperBound * columns)])
    }

    @Test(arguments: [false, true])
    func warmAndColdFitsAgree(binary: Bool) {
        let columns = 5
        let (x, y3) = Fixtures.blobs(rows: 400, columns: columns, seed: 12, spread: 1.2)
        let y = binary ? y3.map { $0 == 1 ? 2 : $0 } : y3  // binary: classes 0 and 2 of 3
        // The warm start comes from another split of the same features, as a rerun's does.
        let earlier = LogisticRegression().fit(
            x: rows(x, 100..<400, columns: columns), rows: 300, columns: columns, labels: Array(y[100..<400]), classCount: 3)
        let train = rows(x, 0..<300, columns: columns), trainY = Array(y[0..<300])
        let test = rows(x, 300..<400, columns: columns), testY = Array(y[300..<400])

        // At the default tolerance: same accuracy (within one test protein), coefficients within the tolerance's reach.
        let cold = LogisticRegression().fit(x: train, rows: 300, columns: columns, labels: trainY, classCount: 3)
        let warm = LogisticRegression().fit(x: train, rows: 300, columns: columns, labels: trainY, classCount: 3,
                                            warmStart: earlier)
        #expect(cold.converged && warm.converged)
        #expect(warm.gradientNorm <= LogisticRegression().tolerance)
        let coldAccuracy = accuracy(testY, cold.predict(x: test, rows: 100))
        let warmAccuracy = accuracy(testY, warm.predict(x: test, rows: 100))
        #expect(abs(coldAccuracy - warmAccuracy) <= 1.0 / 100 + 1e-12)
        for (a, b) in zip(cold.weights + cold.intercepts.filter(\.isFinite), warm.weights + warm.intercepts.filter(\.isFinite)) {
            #expect(abs(a - b) <= 1e-2 * max(1, abs(a)), "default tolerance: \(a) vs \(b)")
        }
        #expect(cold.intercepts.map(\.isFinite) == warm.intercepts.map(\.isFinite))

        // Tightly converged, the two are the same optimum and predict identically. X·Wᵀ is evaluated in single
        // precision, so the gradient stops resolving near 1e-6 and the coefficients agree to about 1e-4, not further.
        let tight = LogisticRegression(tolerance: 1e-10)
        let coldTight = tight.fit(x: train, rows: 300, columns: columns, labels: trainY, classCount: 3)
        let warmTight = tight.fit(x: train, rows: 300, columns: columns, labels: trainY, classCount: 3, warmStart: earlier)
        for (a, b) in zip(coldTight.weights + coldTight.intercepts.filter(\.isFinite),
                          warmTight.weights + warmTight.intercepts.filter(\.isFinite)) {
            #expect(abs(a - b) <= 1e-3 * max(1, abs(a)), "tight tolerance: \(a) vs \(b)")
        }
        #expect(coldTight.predict(x: test, rows: 100) == warmTight.predict(x: test, rows: 100))

        // Started at its own optimum, a fit has nothing left to do.
        let again = LogisticRegression().fit(x: train, rows: 300, columns: columns, labels: trainY, classCount: 3, warmStart: cold)
        #expect(again.iterations == 0)
        #expect(again.weights == cold.weights)
    }

    @Test func aModelOfAnotherShapeIsIgnored() {
        let (x, y) = Fixtures.blobs(rows: 120, columns: 3, seed: 5)
        let narrow = (0..<120).flatMap { [x[3 * $0], x[3 * $0 + 1]] }
        let other = LogisticRegression().fit(x: narrow, rows: 120, columns: 2, labels: y, classCount: 3)
        let cold = LogisticRegression().fit(x: x, rows: 120, columns: 3, labels: y, classCount: 3)
        let warm = LogisticRegression().fit(x: x, rows: 120, columns: 3, labels: y, classCount: 3, warmStart: other)
        #expect(cold == warm)
    }

    /// Raw columns of very different scales: the standardized-coordinates solve of the unscaled problem reaches the
    /// optimum of a plain fit on the raw rows (tightly converged).
    @Test func unscaledFitInStandardizedCoordinates_isThePlainFitsOptimum() {
        let columns = 4
        let (z, y) = Fixtures.blobs(rows: 300, columns: columns, seed: 21, spread: 1.3)
        let scales = [300.0, 1, 0.05, 20]
        let x = z.enumerated().map { $0.element * scales[$0.offset % columns] + 10 * Double($0.offset % columns) }
        // Near single precision's limit (X·Wᵀ is evaluated in Float), so neither fit need report convergence.
        let tight = LogisticRegression(maxIterations: 20000, tolerance: 1e-7)
        let plain = tight.fit(x: x, rows: 300, columns: columns, labels: y, classCount: 3)
        let solved = tight.fitUnscaled(x: x, rows: 300, columns: columns, labels: y, classCount: 3)
        let same = zip(plain.predict(x: x, rows: 300), solved.predict(x: x, rows: 300)).filter { $0 == $1 }.count
        #expect(same >= 297, "\(same) of 300 predictions agree")
        let p = plain.probabilities(x: x, rows: 300), q = solved.probabilities(x: x, rows: 300)
        let worst = zip(p, q).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 0.05, "probabilities differ by up to \(worst)")
        // (Both are quick: the solver's curvature guess takes care of the scales, `PreconditionerTests`; the
        // standardized coordinates keep the single-precision products of the objective on centred values.)
        // At the default tolerance, warm-started from another fit or not: the same predictions.
        let cold = LogisticRegression().fitUnscaled(x: x, rows: 300, columns: columns, labels: y, classCount: 3)
        let warm = LogisticRegression().fitUnscaled(x: x, rows: 300, columns: columns, labels: y, classCount: 3, warmStart: plain)
        #expect(cold.converged && warm.converged)
        let agree = zip(cold.predict(x: x, rows: 300), warm.predict(x: x, rows: 300)).filter { $0 == $1 }.count
        #expect(agree >= 297)
    }

    /// A model carried to raw rows and back scores every row the same.
    @Test func standardizedAndUnstandardizedModels_scoreTheSame() {
        let (x, y) = Fixtures.blobs(rows: 120, columns: 3, seed: 4)
        let scaler = Standardizer(fitting: x, rows: 120, columns: 3)
        let z = scaler.transform(x, rows: 120)
        let model = LogisticRegression().fit(x: z, rows: 120, columns: 3, labels: y, classCount: 3)
        let raw = model.unstandardized(by: scaler)
        for (a, b) in zip(model.decisionFunction(x: z, rows: 120), raw.decisionFunction(x: x, rows: 120)) {
            #expect(abs(a - b) <= 1e-9 * max(1, abs(a)))
        }
        for (a, b) in zip(raw.standardized(by: scaler).weights, model.weights) { #expect(abs(a - b) <= 1e-12 * max(1, abs(a))) }
    }
}
