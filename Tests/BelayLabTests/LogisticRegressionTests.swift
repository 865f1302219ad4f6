import BelayLab
import Foundation
import BelayTestSupport
import Testing

@Suite struct LogisticRegressionTests {
    @Test func fitsConvergesAndSeparatesBlobs() {
        let (x, y) = Fixtures.blobs(rows: 300, columns: 4, seed: 2, spread: 0.5)
        let scaler = Standardizer(fitting: x, rows: 300, columns: 4)
        let xs = scaler.transform(x, rows: 300)
        let model = LogisticRegression().fit(x: xs, rows: 300, columns: 4, labels: y, classCount: 3)
        #expect(model.converged)
        #expect(model.gradientNorm <= LogisticRegression().tolerance)
        #expect(model.iterations > 0 && model.iterations < 200)
        #expect(accuracy(y, model.predict(x: xs, rows: 300)) > 0.8)
        let p = model.probabilities(x: xs, rows: 300)
        for i in 0..<300 { #expect(abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1) < 1e-12) }
    }

    @Test func nearlySeparableDataStillConverges() {
        // Exercise 1's leak: the label itself as a feature.
        let (x, y) = Fixtures.blobs(rows: 200, columns: 3, seed: 4)
        var leaky: [Double] = []
        for i in 0..<200 { leaky += x[(3 * i)..<(3 * i + 3)] + [Double(y[i])] }
        let xs = Standardizer(fitting: leaky, rows: 200, columns: 4).transform(leaky, rows: 200)
        let model = LogisticRegression().fit(x: xs, rows: 200, columns: 4, labels: y, classCount: 3)
        #expect(model.converged)
        #expect(accuracy(y, model.predict(x: xs, rows: 200)) == 1)
    }

    @Test func absentClassIsNeverPredicted() {
        let (x, y3) = Fixtures.blobs(rows: 150, columns: 3, seed: 6)
        let y = y3.map { $0 == 1 ? 2 : $0 }  // classes 0 and 2 only
        let model = LogisticRegression().fit(x: x, rows: 150, columns: 3, labels: y, classCount: 3)
        #expect(model.converged)
        #expect(model.intercepts[1] == -.infinity)
        #expect(!model.predict(x: x, rows: 150).contains(1))
        let p = model.probabilities(x: x, rows: 150)
        #expect((0..<150).allSatisfy { p[3 * $0 + 1] == 0 })
        let single = LogisticRegression().fit(x: x, rows: 150, columns: 3, labels: [Int](repeating: 1, count: 150),
                                              classCount: 3)
        #expect(single.predict(x: x, rows: 150).allSatisfy { $0 == 1 })
    }

    /// Probabilities from scikit-learn's exact optimum (tight tolerance) and the default pipeline's accuracy.
    func scikitLearn(trainX: [Double], trainY: [Int], testX: [Double], columns: Int) throws
        -> (accuracyDefault: [Int], probabilities: [Double]) {
        let input = "\(trainY.count) \(testX.count / columns) \(columns)\n"
            + Reference.lines(trainX, columns: columns) + trainY.map(String.init).joined(separator: " ") + "\n"
            + Reference.lines(testX, columns: columns)
        let out = try Reference.run("""
            import sys, numpy as np
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler
            from sklearn.linear_model import LogisticRegression
            lines = sys.stdin.read().split("\\n")
            n, m, d = map(int, lines[0].split())
            X = np.array([list(map(float, l.split())) for l in lines[1:1 + n]])
            y = np.array(list(map(int, lines[1 + n].split())))
            T = np.array([list(map(float, l.split())) for l in lines[2 + n:2 + n + m]])
            default = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X, y)
            print(" ".join(map(str, default.predict(T))))
            tight = make_pipeline(StandardScaler(), LogisticRegression(max_iter=100000, tol=1e-12)).fit(X, y)
            print(" ".join("%.17g" % v for v in tight.predict_proba(T).ravel()))
            """, input: input)
        let lines = out.split(separator: "\n")
        return (Reference.numbers(String(lines[0])).map { Int($0) }, Reference.numbers(String(lines[1])))
    }

    func split(_ x: [Double], _ y: [Int], columns: Int, isTest: [Bool])
        -> (trainX: [Double], trainY: [Int], testX: [Double], testY: [Int]) {
        var r: ([Double], [Int], [Double], [Int]) = ([], [], [], [])
        for i in y.indices {
            let row = x[(i * columns)..<((i + 1) * columns)]
            if isTest[i] { r.2 += row; r.3.append(y[i]) } else { r.0 += row; r.1.append(y[i]) }
        }
        return r
    }

    func compareWithScikitLearn(x: [Double], y: [Int], columns: Int, classCount: Int, seed: UInt64) throws {
        let isTest = randomSplit(count: y.count, testFraction: 0.2, seed: seed)
        let s = split(x, y, columns: columns, isTest: isTest)
        let reference = try scikitLearn(trainX: s.trainX, trainY: s.trainY, testX: s.testX, columns: columns)
        let scores = trainAndScore(features: x, rows: y.count, columns: columns, labels: y, classCount: classCount,
                                   isTest: isTest)
        #expect(scores.converged)
        #expect(abs(scores.accuracy - accuracy(s.testY, reference.accuracyDefault)) <= 0.02)

        let scaler = Standardizer(fitting: s.trainX, rows: s.trainY.count, columns: columns)
        // A tight fit of the same objective as scikit-learn's tight one: the optima must agree.
        let model = LogisticRegression(tolerance: 1e-6).fit(x: scaler.transform(s.trainX, rows: s.trainY.count),
                                             rows: s.trainY.count, columns: columns, labels: s.trainY,
                                             classCount: classCount)
        let ours = model.probabilities(x: scaler.transform(s.testX, rows: s.testY.count), rows: s.testY.count)
        #expect(ours.count == reference.probabilities.count)
        let worst = zip(ours, reference.probabilities).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-3, "largest probability difference \(worst)")
    }

    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesScikitLearnOnSyntheticThreeClassData() throws {
        let (x, y) = Fixtures.blobs(rows: 400, columns: 6, seed: 13, spread: 2.5)
        try compareWithScikitLearn(x: x, y: y, columns: 6, classCount: 3, seed: 0)
    }

    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesScikitLearnOnBinaryData() throws {
        let (x, y3) = Fixtures.blobs(rows: 250, columns: 5, seed: 17, spread: 2.5)
        try compareWithScikitLearn(x: x, y: y3.map { $0 == 2 ? 1 : $0 }, columns: 5, classCount: 2, seed: 3)
    }

    /// The route's Exercise 0 data: 21 composition features of the 1654 labelled H37Rv proteins.
    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesScikitLearnOnTheRealCompositionFeatures() throws {
        let out = try Reference.run("""
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.stdin.readline().strip(), read_only=True).active
            rows = ws.iter_rows(values_only=True)
            h = list(next(rows))
            s, l = h.index("Sequence"), h.index("location")
            aa = "ACDEFGHIKLMNPQRSTVWY"
            for r in rows:
                if r[l]:
                    seq = r[s]
                    print(seq, r[l], len(seq), *[seq.count(a) for a in aa])
            """, input: Reference.datasetXLSX + "\n")
        let rows = out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 1654)
        var x: [Double] = []
        for r in rows {
            let features = sequenceFeatures(r[0]).asDoubles
            #expect(features == r[2...].compactMap { Double($0) }, "features of \(r[0].prefix(10))...")
            x += features
        }
        let encoder = LabelEncoder(labels: rows.map { $0[1] })
        #expect(encoder.classes == ["cytoplasm", "membrane", "secreted"])
        let y = try #require(encoder.encode(rows.map { $0[1] }))
        try compareWithScikitLearn(x: x, y: y, columns: 21, classCount: 3, seed: 0)
    }

    /// The route's Exercise 3 data: the 256-wide embeddings of the labelled H37Rv proteins, standardized on a random
    /// split's training rows, where the curvature guess matters most (eigenvalues of the covariance from 1e-3 to 77).
    /// Belay's fit at its default tolerance is scikit-learn's minimum, tightly converged, to every test prediction;
    /// scikit-learn's own default (`tol=1e-4`) is reported beside it, not required to match.
    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesScikitLearnsTightOptimumOnTheRealEmbeddings() throws {
        let h5 = URL(fileURLWithPath: Reference.datasetXLSX).deletingLastPathComponent().appendingPathComponent("mtb_full.h5.gz").path
        let out = try Reference.run("""
            import gzip, io, sys, h5py, numpy as np, openpyxl
            from sklearn.linear_model import LogisticRegression
            from sklearn.preprocessing import StandardScaler
            xlsx, h5 = sys.stdin.read().split()
            ws = openpyxl.load_workbook(xlsx, read_only=True).active
            rows = ws.iter_rows(values_only=True)
            h = list(next(rows))
            e, l = h.index("Entry"), h.index("location")
            f = h5py.File(io.BytesIO(gzip.open(h5).read()), "r")
            ids, labels = [], []
            for r in rows:
                if r[l] and r[e] in f:
                    ids.append(r[e]); labels.append(r[l])
            X = np.stack([f[i][()] for i in ids]).astype(np.float64)
            X /= np.linalg.norm(X, axis=1, keepdims=True)
            classes = sorted(set(labels)); y = np.array([classes.index(v) for v in labels])
            test = np.random.default_rng(7).random(len(y)) < 0.2
            s = StandardScaler().fit(X[~test])
            tight = LogisticRegression(tol=1e-10, max_iter=100000).fit(s.transform(X[~test]), y[~test])
            default = LogisticRegression(max_iter=2000).fit(s.transform(X[~test]), y[~test])
            print(len(y), X.shape[1])
            print(" ".join(map(str, y)))
            print(" ".join("1" if t else "0" for t in test))
            print(" ".join(map(str, tight.predict(s.transform(X[test])))))
            print(" ".join("%.17g" % v for v in tight.predict_proba(s.transform(X[test])).ravel()))
            print(" ".join(map(str, default.predict(s.transform(X[test])))))
            print("%.17g" % np.abs(default.predict_proba(s.transform(X[test])) - tight.predict_proba(s.transform(X[test]))).max())
            for row in X: print(" ".join("%.9g" % v for v in row))
            """, input: Reference.datasetXLSX + "\n" + h5 + "\n")
        let lines = out.split(separator: "\n").map(String.init)
        let shape = Reference.numbers(lines[0]).map { Int($0) }
        let (n, d) = (shape[0], shape[1])
        let y = Reference.numbers(lines[1]).map { Int($0) }
        let isTest = Reference.numbers(lines[2]).map { $0 == 1 }
        let tightPredicted = Reference.numbers(lines[3]).map { Int($0) }
        let tightProbabilities = Reference.numbers(lines[4])
        let defaultPredicted = Reference.numbers(lines[5]).map { Int($0) }
        let defaultWorst = try #require(Reference.numbers(lines[6]).first)
        let x = lines[7..<(7 + n)].flatMap { Reference.numbers($0) }
        #expect(x.count == n * d && y.count == n && d == 256)
        let s = split(x, y, columns: d, isTest: isTest)
        let scaler = Standardizer(fitting: s.trainX, rows: s.trainY.count, columns: d)
        let model = LogisticRegression().fit(x: scaler.transform(s.trainX, rows: s.trainY.count), rows: s.trainY.count,
                                             columns: d, labels: s.trainY, classCount: 3)
        #expect(model.converged)
        #expect(model.iterations < 150, "\(model.iterations) iterations")
        let testX = scaler.transform(s.testX, rows: s.testY.count)
        let ours = model.predict(x: testX, rows: s.testY.count)
        let worst = zip(model.probabilities(x: testX, rows: s.testY.count), tightProbabilities).map { abs($0 - $1) }.max() ?? .infinity
        // Along the flattest directions the weights are the least determined, so probabilities keep a few 1e-3.
        #expect(worst < 5e-3, "largest probability difference from scikit-learn's tight fit \(worst)")
        #expect(ours == tightPredicted, "\(zip(ours, tightPredicted).filter { $0 != $1 }.count) test predictions differ")
        let differFromDefault = zip(defaultPredicted, tightPredicted).filter { $0 != $1 }.count
        print("from scikit-learn's tight fit: its default fit differs in \(differFromDefault) of \(s.testY.count) test predictions, probabilities by up to \(defaultWorst); Belay's in \(zip(ours, tightPredicted).filter { $0 != $1 }.count), by up to \(worst), after \(model.iterations) iterations")
    }
}
