import BelayLab
import Testing

@Suite struct FeaturesTests {
    func count(_ f: SequenceFeatures, _ letter: Character) -> Int {
        f.counts[AminoAcids.standard.firstIndex(of: letter) ?? -1]
    }

    @Test func alphabetIsTheTwentyStandardLettersInOrder() {
        #expect(String(AminoAcids.standard) == "ACDEFGHIKLMNPQRSTVWY")
        #expect(AminoAcids.featureNames.count == 21)
        #expect(AminoAcids.featureNames.first == "length")
    }

    @Test func cleanSequenceMatchesLenAndCount() {
        let seq = "MKVLAAGIWWYC"
        let f = sequenceFeatures(seq)
        #expect(f.length == seq.count)
        for letter in AminoAcids.standard {
            #expect(count(f, letter) == seq.filter { $0 == letter }.count, "letter \(letter)")
        }
        #expect(f.asDoubles == [12] + AminoAcids.standard.map { l in Double(seq.filter { $0 == l }.count) })
        #expect(f.nonStandardCount == 0)
    }

    @Test func emptySequence() {
        let f = sequenceFeatures("")
        #expect(f.length == 0)
        #expect(f.counts == [Int](repeating: 0, count: 20))
        #expect(f.asDoubles == [Double](repeating: 0, count: 21))
        #expect(sequenceFeatures(" \n\t") == f)
    }

    @Test func lowerCaseCountsAsUpperCase() {
        #expect(sequenceFeatures("mkvAcD") == sequenceFeatures("MKVACD"))
        #expect(count(sequenceFeatures("aaA"), "A") == 3)
    }

    @Test func nonStandardLettersLengthenButCountNowhere() {
        let f = sequenceFeatures("AXBZUOJx")
        #expect(f.length == 8)
        #expect(count(f, "A") == 1)
        #expect(f.counts.reduce(0, +) == 1)
        #expect(f.nonStandardCount == 7)
    }

    @Test func terminalStopIsIgnoredButInternalStopIsNot() {
        #expect(sequenceFeatures("MKV*").length == 3)
        #expect(sequenceFeatures("MKV*\n").length == 3)
        #expect(sequenceFeatures("MKV* ").length == 3)
        #expect(sequenceFeatures("MK*V").length == 4)
        #expect(sequenceFeatures("MKV**").length == 4, "only one terminal stop is dropped")
        #expect(sequenceFeatures("*").length == 0)
    }

    @Test func whitespaceAnywhereIsIgnored() {
        #expect(sequenceFeatures("MK V\tL\nA\r\nC") == sequenceFeatures("MKVLAC"))
        #expect(sequenceFeatures("MKVLAC").length == 6)
    }

    @Test func otherCharactersCountTowardsLengthLikeLen() {
        let f = sequenceFeatures("MK-1V")
        #expect(f.length == 5)
        #expect(f.counts.reduce(0, +) == 3)
    }

    @Test func featureMatrixStacksRows() {
        let x = featureMatrix(["AC", "", "W"])
        #expect(x.count == 63)
        #expect(x[0] == 2 && x[1] == 1 && x[2] == 1)
        #expect(x[21] == 0)
        #expect(x[42] == 1 && x[42 + 1 + 18] == 1)  // W is the 19th letter
    }
}
