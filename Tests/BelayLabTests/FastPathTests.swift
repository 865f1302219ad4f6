import BelayLab
import Testing

/// The byte paths (`LabelCleaner.clean`, `appendFeatureRow`) against the plain rules they must reproduce.
@Suite struct FastPathTests {
    let cleaner = LabelCleaner()

    static let trickyUniProt: [String] = [
        "", " ", "\r\n", ".", ";;..", "{", "}", "{{}}", "{a{b}c} Cytoplasm", "Cytoplasm {unclosed",
        "}Cytoplasm{", "SUBCELLULAR LOCATION: Cytoplasm", "subcellular location: cytoplasm.",
        "SUBCELLULAR LOCATION:Cell membrane;Multi-pass membrane protein.",
        "SUBCELLULAR LOCATION: Cell membrane {ECO:0000255}; Multi-pass membrane protein {ECO:0000255}.",
        "SUBCELLULAR LOCATION: Cytoplasm {ECO:1}. Note=Secreted; membrane. {ECO:2}. SUBCELLULAR LOCATION: Secreted.",
        "SUBCELLULAR LOCATION: note=Cytoplasm.", "NOTE=x. Cytoplasm", "SUBCELLULAR LOCATION: Cytoplasm NOTE= Secreted",
        "SUBCELLULAR LOCATION: [Isoform 1]: Cytoplasm. SUBCELLULAR LOCATION: [Isoform 2]: Secreted.",
        "SUBCELLULAR LOCATION: [Isoform 1]:Cytoplasm", "SUBCELLULAR LOCATION: [Isoform 1] Cytoplasm",
        "SUBCELLULAR LOCATION: [Isoform 1 Cytoplasm", "[x]: : Cytoplasm", "[x]::Cytoplasm", "[]",
        "SUBCELLULAR LOCATION: Cytoplasm, nucleoid.", "SUBCELLULAR LOCATION: Cytoplasm , nucleoid",
        "SUBCELLULAR LOCATION: Secreted, cell wall", "Secreted,", ",Secreted", " , ", "Cytoplasmic vesicle, secretory vesicle",
        "Cell\tmembrane", "Cell  membrane", "\tCELL MEMBRANE\u{0B}", "cell membrane\u{0C}; lipid-anchor\r\n",
        "Cytoplasm\u{1C}", "\u{1F}Cytoplasm", "Cytoplasm\r\n.Secreted", "Lipid-anchor, GPI-anchor", "GPI-anchor",
        "SUBCELLULAR LOCATION: SUBCELLULAR LOCATION: Membrane", "SUBCELLULAR LOCATION Cytoplasm",
        "Cytoplasme", "Cytoplas", "Periplasm", "Host cytoplasm", "Cytoplasmic side",
        "Cytoplasm. Cell membrane. Secreted.", "Membrane {ECO:1|PubMed:2}; Peripheral membrane protein {ECO:3}; Cytoplasmic side",
        "Cytoplasm é", "Cytoplasm\u{85}", "Cytopl\u{00E4}sm", "Membrane\u{00A0}",
    ]

    static let trickyGO: [String] = [
        "", ";", " ; ;", "cytoplasm", "cytoplasm [GO:0005737]", "CYTOPLASM [GO:0005737]", "cytoplasm [go:0005737]",
        "cytoplasm[GO:1]", "cytoplasm [GO:1] [GO:2]", "[GO:1] cytoplasm", "cytoplasm [GO:1; plasma membrane [GO:2]",
        "plasma membrane [GO:0005886]; cytosol [GO:0005829]", "plasma  membrane [GO:1]", "\tmembrane\r\n[GO:1]",
        "extracellular region [GO:1];extracellular space [GO:2];", "cell outer membrane", "outer membrane",
        "integral component of membrane [GO:0016021]", "membrane [GO:1] x", "cytoplasm\u{1C} [GO:1]",
        "cytoplasm [GO:1]; nucleoid [GO:2]", "cytosol é [GO:1]", "membrane\u{2003}[GO:1]",
    ]

    /// Random texts from the pieces the rules look at, so that their combinations are covered too.
    static func randomTexts(_ pieces: [String], count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        return (0..<count).map { _ in (0..<(next() % 9)).map { _ in pieces[next() % pieces.count] }.joined() }
    }

    @Test func uniprotBytePathEqualsTheReferenceRule() {
        let pieces = ["SUBCELLULAR LOCATION: ", "subcellular location:", "Cytoplasm", "cytoplasm", "Secreted", "Cell membrane",
                      "Multi-pass membrane protein", ", nucleoid", ", cell wall", "Periplasm", "Note=", "NOTE=", "{ECO:1}", "{",
                      "}", "[Isoform 2]", "]", "[", ":", ";", ".", ",", " ", "\t", "\r\n", "\u{0B}", "\u{1C}", "x", "é"]
        for text in Self.trickyUniProt + Self.randomTexts(pieces, count: 4000, seed: 19) {
            #expect(cleaner.clean(uniprotLocation: text) == cleaner.referenceClean(uniprotLocation: text), "\(text.debugDescription)")
        }
    }

    @Test func goBytePathEqualsTheReferenceRule() {
        let pieces = ["cytoplasm", "CYTOSOL", "plasma membrane", "membrane", "extracellular region", "cell outer membrane",
                      "ribosome", " [GO:0005737]", "[GO:", "[go:", "GO:", "[", "]", ";", "; ", " ", "\t", "\r\n", "\u{1C}", "é"]
        for text in Self.trickyGO + Self.randomTexts(pieces, count: 4000, seed: 20) {
            #expect(cleaner.clean(goTerms: text) == cleaner.referenceClean(goTerms: text), "\(text.debugDescription)")
        }
    }

    @Test func customMappingsFallBackToTheReferenceRule() throws {
        // A prefix rule has no byte table: `clean` must still give the plain rule's answer.
        let mapping = try LocationMapping(table: "cyto\tinside\tprefix\nmembrane\tenvelope\n")
        let c = LabelCleaner(mapping: mapping)
        for text in ["Cytoplasm", "Cytosol; Membrane", "membrane", ""] {
            #expect(c.clean(uniprotLocation: text) == c.referenceClean(uniprotLocation: text))
            #expect(c.clean(goTerms: text) == c.referenceClean(goTerms: text))
        }
        #expect(c.clean(goTerms: "cytosol [GO:1]") == .label("inside"))
        var changed = LabelCleaner()
        changed.mapping = mapping  // the byte tables follow the mapping
        #expect(changed.clean(goTerms: "cytosol [GO:1]") == .label("inside"))
    }

    @Test func featureRowsEqualSequenceFeatures() {
        let sequences = ["", "M", "MKT*", "MK*T", "mkt**", "*", "**", "* ", "A C\nD\tE\r\nF", "XBZJUO-0123", "ACDEFGHIKLMNPQRSTVWY",
                         "acdefghiklmnpqrstvwy*\n", "MKé*", "MK\u{00A0}T", "M\u{2003}K*", String(repeating: "MKTAYIAK", count: 500)]
        var matrix: [Double] = []
        for s in sequences { appendFeatureRow(s, to: &matrix) }
        #expect(matrix == sequences.flatMap { sequenceFeatures($0).asDoubles })
        #expect(featureMatrix(sequences) == matrix)
    }
}
