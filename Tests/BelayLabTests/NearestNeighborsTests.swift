import BelayLab
import BelayTestSupport
import Testing

@Suite struct NearestNeighborsTests {
    @Test func votesOfTheNearestRows() {
        // Train: three points of class 0 near the origin, two of class 1 near (10, 10).
        let train: [Double] = [0, 0, 1, 0, 0, 1, 10, 10, 11, 10]
        let labels = [0, 0, 0, 1, 1]
        let queries: [Double] = [0.5, 0.5, 10.5, 10, 6, 6]
        #expect(nearestNeighborPredict(trainX: train, trainLabels: labels, queries: queries, columns: 2, classCount: 2, k: 1)
                == [0, 1, 1])
        // k = 5 takes every training row: three votes for class 0 everywhere.
        #expect(nearestNeighborPredict(trainX: train, trainLabels: labels, queries: queries, columns: 2, classCount: 2, k: 5)
                == [0, 0, 0])
        // A tie in the vote (k = 2 at the middle: one of each) goes to the smaller class.
        let tie = nearestNeighborPredict(trainX: [0, 2], trainLabels: [1, 0], queries: [1], columns: 1, classCount: 2, k: 2)
        #expect(tie == [0])
    }

    /// scikit-learn's `KNeighborsClassifier()` (k = 5, Euclidean, uniform) on Gaussian blobs.
    @Test(.enabled(if: Reference.isAvailable, "needs scikit-learn (CI requires it)"))
    func matchesKNeighborsClassifier() throws {
        let (x, y) = Fixtures.blobs(rows: 160, columns: 6, seed: 11, spread: 2.5)
        let trainX = Array(x[0..<(120 * 6)]), trainY = Array(y[0..<120])
        let queries = Array(x[(120 * 6)...])
        var rows: [Double] = []
        for i in 0..<160 {
            rows.append(contentsOf: x[(i * 6)..<(i * 6 + 6)])
            rows.append(Double(y[i]))
        }
        let out = try Reference.run("""
            import sys, numpy as np
            from sklearn.neighbors import KNeighborsClassifier
            d = np.loadtxt(sys.stdin)
            x, y = d[:, :6], d[:, 6].astype(int)
            m = KNeighborsClassifier().fit(x[:120], y[:120])
            print(" ".join(str(v) for v in m.predict(x[120:])))
            """, input: Reference.lines(rows, columns: 7))
        let expected = Reference.numbers(out).map { Int($0) }
        let got = nearestNeighborPredict(trainX: trainX, trainLabels: trainY, queries: queries, columns: 6, classCount: 3)
        #expect(got == expected)
    }
}
