import BelayLab
import Testing

@Suite struct LabelEncodingTests {
    @Test func classesAreSortedAndCodesFollow() throws {
        let e = LabelEncoder(labels: ["secreted", "cytoplasm", "membrane", "cytoplasm"])
        #expect(e.classes == ["cytoplasm", "membrane", "secreted"])
        #expect(e.encode("membrane") == 1)
        #expect(e.encode(["secreted", "cytoplasm"]) == [2, 0])
        #expect(e.decode(2) == "secreted")
        #expect(e.decode(3) == nil)
    }

    @Test func unknownLabelsGiveNil() {
        let e = LabelEncoder(labels: ["a", "b"])
        #expect(e.encode("c") == nil)
        #expect(e.encode(["a", "c"]) == nil)
    }

    @Test func sortsByCodePointsLikeNumPy() {
        // NumPy sorts upper case before lower case and "B" before "a".
        let e = LabelEncoder(labels: ["a", "B", "A", "b", "é", "z"])
        #expect(e.classes == ["A", "B", "a", "b", "z", "é"])
    }

    @Test func emptyInput() {
        #expect(LabelEncoder(labels: []).classes.isEmpty)
    }
}
