import BelayLab
import BelayTestSupport
import Testing

@Suite struct CosineSimilarityTests {
    @Test func smallMatrixByHand() {
        let m = EmbeddingMatrix(count: 4, dimension: 2, values: [1, 0, 0, 2, 1, 1, 0, 0])
        let s = cosineSimilarityMatrix(m)
        let h = Float(0.5).squareRoot()
        let expected: [Float] = [1, 0, h, 0,
                                 0, 1, h, 0,
                                 h, h, 1, 0,
                                 0, 0, 0, 0]
        #expect(zip(s, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(cosineSimilarityMatrix(EmbeddingMatrix(count: 0, dimension: 3, values: [])).isEmpty)
    }

    @Test func pairFunctionAgreesWithTheMatrix() {
        let m = Fixtures.clusteredEmbeddings(count: 12, dimension: 17, groups: 3, noise: 0.5, seed: 5)
        let s = cosineSimilarityMatrix(m)
        for i in 0..<m.count {
            for j in 0..<m.count {
                let pair = cosineSimilarity(Array(m.row(i)), Array(m.row(j)))
                #expect(abs(pair - s[i * m.count + j]) < 1e-5)
                #expect(s[i * m.count + j] == s[j * m.count + i])
            }
        }
        #expect(cosineSimilarity([0, 0], [1, 2]) == 0)
        #expect(cosineSimilarity([1, 2], [-2, -4]) == -1)
    }

    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func matchesScikitLearn() throws {
        let m = Fixtures.clusteredEmbeddings(count: 60, dimension: 24, groups: 5, noise: 0.8, seed: 11)
        let out = try Reference.run("""
            import sys, numpy as np
            from sklearn.metrics.pairwise import cosine_similarity
            x = np.loadtxt(sys.stdin, dtype=np.float64)
            np.savetxt(sys.stdout, cosine_similarity(x), fmt="%.9g")
            """, input: Reference.lines(m.values, columns: m.dimension))
        let reference = Reference.numbers(out)
        let ours = cosineSimilarityMatrix(m)
        #expect(reference.count == ours.count)
        let worst = zip(ours, reference).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worst < 1e-5)
    }
}
