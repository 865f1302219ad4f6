import BelayLab
import BelayTestSupport
import Testing

@Suite struct StandardizerTests {
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
