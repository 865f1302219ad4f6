import BelayLab
import Testing

@Suite struct EmbeddingsTests {
    let m = EmbeddingMatrix(count: 3, dimension: 2, values: [3, 4, 0, 0, -1, 0])

    @Test func rowsAndSubsets() {
        #expect(Array(m.row(0)) == [3, 4])
        #expect(Array(m.row(2)) == [-1, 0])
        let s = m.subset([2, 0, 2])
        #expect(s.count == 3 && s.dimension == 2)
        #expect(s.values == [-1, 0, 3, 4, -1, 0])
        #expect(m.subset([]).count == 0)
        #expect(EmbeddingMatrix(rows: [[1, 2], [3, 4]])?.values == [1, 2, 3, 4])
        #expect(EmbeddingMatrix(rows: [[1, 2], [3]]) == nil)
    }

    @Test func normalizedRowsHaveUnitLengthAndZeroRowsStayZero() {
        let n = m.normalizedRows()
        #expect(n.values == [0.6, 0.8, 0, 0, -1, 0])
        let big = Fixtures.clusteredEmbeddings(count: 20, dimension: 33, groups: 3, noise: 1, seed: 1).normalizedRows()
        for i in 0..<big.count {
            let norm = big.row(i).reduce(0) { $0 + Double($1) * Double($1) }
            #expect(abs(norm - 1) < 1e-6)
        }
    }

    @Test func alignmentKeepsLabelOrderAndReportsMissing() {
        let a = alignIDs(labelIDs: ["Rv3", "Rv1", "RvX", "Rv2", "rv1"], embeddingIDs: ["Rv1", "Rv2", "Rv3", "Rv9", "Rv1"])
        #expect(a.kept == [0, 1, 3])
        #expect(a.embeddingRows == [2, 0, 1])
        #expect(a.missing == ["RvX", "rv1"])
        let none = alignIDs(labelIDs: [], embeddingIDs: ["a"])
        #expect(none.kept.isEmpty && none.missing.isEmpty)
    }
}
