import BelayLab
import BelayTestSupport
import Testing

@Suite struct StandardizerTests {
    /// The definition, written out with plain indexing: each column's sums in row order, then (x − mean) / scale.
    /// The standardizer must give these numbers bit for bit (reruns and the reference's fits depend on them).
    @Test func equalsTheDefinitionBitForBit() {
        for (rows, columns, seed) in [(0, 3, UInt64(1)), (1, 4, 2), (37, 5, 3), (300, 256, 4), (5, 0, 5)] {
            let x = Fixtures.gaussian(rows * columns, seed: seed).enumerated().map { $0.element * Double($0.offset % 7 + 1) + 1e3 }
            var means = [Double](repeating: 0, count: columns), variances = means
            if rows > 0 {
                for i in 0..<rows { for j in 0..<columns { means[j] += x[i * columns + j] } }
                for j in 0..<columns { means[j] /= Double(rows) }
                for i in 0..<rows { for j in 0..<columns { variances[j] += (x[i * columns + j] - means[j]) * (x[i * columns + j] - means[j]) } }
                for j in 0..<columns { variances[j] /= Double(rows) }
            }
            let s = Standardizer(fitting: x, rows: rows, columns: columns)
            #expect(s.means.map(\.bitPattern) == means.map(\.bitPattern), "\(rows) x \(columns)")
            let scales = s.scales
            let expected = (0..<(rows * columns)).map { (x[$0] - means[$0 % columns]) / scales[$0 % columns] }
            #expect(s.transform(x, rows: rows).map(\.bitPattern) == expected.map(\.bitPattern), "\(rows) x \(columns)")
        }
    }

    @Test func standardizerLikeStandardScaler() {
        // Column 0: mean 2, population sd sqrt(2/3); column 1 constant -> scale 1.
        let x: [Double] = [1, 5, 2, 5, 3, 5]
        let s = Standardizer(fitting: x, rows: 3, columns: 2)
        #expect(s.means == [2, 5])
        #expect(abs(s.scales[0] - (2.0 / 3).squareRoot()) < 1e-15)
        #expect(s.scales[1] == 1)
        let t = s.transform(x, rows: 3)
        #expect(t[1] == 0 && t[3] == 0 && t[5] == 0)
        #expect(abs(t[0] + t[4]) < 1e-15 && t[2] == 0)
    }

    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesStandardScaler() throws {
        let x = Fixtures.gaussian(40 * 5, seed: 4).enumerated().map { $0.offset % 5 == 4 ? 7.25 : $0.element * 3 + 10 }
        let out = try Reference.run("""
            import sys, numpy as np
            from sklearn.preprocessing import StandardScaler
            x = np.loadtxt(sys.stdin)
            s = StandardScaler().fit(x)
            print(" ".join("%.17g" % v for v in np.concatenate([s.mean_, s.scale_, s.transform(x).ravel()])))
            """, input: Reference.lines(x, columns: 5))
        let r = Reference.numbers(out)
        try #require(r.count == 5 + 5 + 200)
        let s = Standardizer(fitting: x, rows: 40, columns: 5)
        #expect(zip(s.means, r[0..<5]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(s.scales, r[5..<10]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(s.scales[4] == 1, "constant column")
        #expect(zip(s.transform(x, rows: 40), r[10...]).allSatisfy { abs($0 - $1) < 1e-10 })
    }
}
