import BelayLab
import BelayTestSupport
import Testing

@Suite struct LabelCleaningTests {
    let cleaner = LabelCleaner()

    @Test func defaultMappingHasTheRouteClasses() {
        #expect(LocationMapping.route019.classes == ["cytoplasm", "membrane", "secreted"])
        #expect(LocationMapping.route019.rules.count >= 17)
    }

    @Test(arguments: [
        ("cytoplasm [GO:0005737]", LabelOutcome.label("cytoplasm")),
        ("cytoplasm [GO:0005737]; cytosol [GO:0005829]", .label("cytoplasm")),
        ("membrane [GO:0016020]; plasma membrane [GO:0005886]", .label("membrane")),
        ("cell outer membrane [GO:0009279]", .label("membrane")),
        ("extracellular region [GO:0005576]; peptidoglycan-based cell wall [GO:0009274]", .label("secreted")),
        ("extracellular space [GO:0005615]", .label("secreted")),
        ("cytosol [GO:0005829]; plasma membrane [GO:0005886]", .ambiguous(["cytoplasm", "membrane"])),
        ("cytoplasm [GO:0005737]; extracellular region [GO:0005576]; membrane [GO:0016020]",
         .ambiguous(["cytoplasm", "membrane", "secreted"])),
        ("peptidoglycan-based cell wall [GO:0009274]; cell surface [GO:0009986]", .missing),
        ("ribosome [GO:0005840]", .missing),
        ("", .missing),
        ("Plasma Membrane [GO:0005886]", .label("membrane")),
        ("plasma membrane", .label("membrane")),
        ("integral component of membrane [GO:0016021]", .missing),
    ])
    func goTerms(text: String, expected: LabelOutcome) {
        #expect(cleaner.clean(goTerms: text) == expected)
    }

    @Test(arguments: [
        ("SUBCELLULAR LOCATION: Cell membrane {ECO:0000255}; Multi-pass membrane protein {ECO:0000255}.",
         LabelOutcome.label("membrane")),
        ("SUBCELLULAR LOCATION: Cytoplasm {ECO:0000269|PubMed:17114266}. Note=Associated with the cell membrane "
            + "during growth; secreted in stationary phase. {ECO:0000269|PubMed:17114266}.", .label("cytoplasm")),
        ("SUBCELLULAR LOCATION: Secreted {ECO:0000269|PubMed:1}.", .label("secreted")),
        ("SUBCELLULAR LOCATION: Secreted, cell wall {ECO:0000305}.", .label("secreted")),
        ("SUBCELLULAR LOCATION: Cytoplasm, cytosol.", .label("cytoplasm")),
        ("SUBCELLULAR LOCATION: Cell inner membrane; Lipid-anchor.", .label("membrane")),
        ("SUBCELLULAR LOCATION: Cell membrane {ECO:0000255|HAMAP-Rule:MF_01}; Single-pass membrane protein "
            + "{ECO:0000255|HAMAP-Rule:MF_01}.", .label("membrane")),
        ("SUBCELLULAR LOCATION: Cytoplasm {ECO:0000250}. Cell membrane {ECO:0000250}; Peripheral membrane protein "
            + "{ECO:0000250}; Cytoplasmic side {ECO:0000250}.", .ambiguous(["cytoplasm", "membrane"])),
        ("SUBCELLULAR LOCATION: Secreted. Cell membrane.", .ambiguous(["membrane", "secreted"])),
        ("SUBCELLULAR LOCATION: [Isoform 1]: Cytoplasm. SUBCELLULAR LOCATION: [Isoform 2]: Cytoplasm, cytosol.",
         .label("cytoplasm")),
        ("SUBCELLULAR LOCATION: [Isoform 1]: Cytoplasm. SUBCELLULAR LOCATION: [Isoform 2]: Secreted.",
         .ambiguous(["cytoplasm", "secreted"])),
        ("SUBCELLULAR LOCATION: Periplasm {ECO:0000305}.", .missing),
        ("SUBCELLULAR LOCATION: Cell envelope. Cell wall.", .missing),
        ("SUBCELLULAR LOCATION: Cell surface.", .missing),
        ("SUBCELLULAR LOCATION: Note=Membrane-associated in some conditions.", .missing),
        ("", .missing),
        ("   ", .missing),
    ])
    func uniprotLocations(text: String, expected: LabelOutcome) {
        #expect(cleaner.clean(uniprotLocation: text) == expected)
    }

    /// UniProt's controlled vocabulary, term by term (the `SL` line as it appears in the text): what each votes for.
    @Test(arguments: [
        // Cytoplasm and every part of it.
        ("Cytoplasm", "cytoplasm"), ("Cytoplasm, cytosol", "cytoplasm"), ("Cytoplasm, nucleoid", "cytoplasm"),
        ("Cytoplasm, cytoskeleton", "cytoplasm"), ("Cytoplasm, cell cortex", "cytoplasm"),
        ("Cytoplasm, perinuclear region", "cytoplasm"), ("Cytoplasm, P-body", "cytoplasm"),
        ("Cytoplasm, cytoskeleton, cilium axoneme", "cytoplasm"), ("cytoplasm, nucleoid", "cytoplasm"),
        ("Cytosol", "cytoplasm"), ("Nucleoid", nil),
        // Membranes and membrane topologies.
        ("Membrane", "membrane"), ("Cell membrane", "membrane"), ("Cell inner membrane", "membrane"),
        ("Cell outer membrane", "membrane"), ("Multi-pass membrane protein", "membrane"),
        ("Single-pass membrane protein", "membrane"), ("Single-pass type I membrane protein", "membrane"),
        ("Single-pass type II membrane protein", "membrane"), ("Single-pass type III membrane protein", "membrane"),
        ("Single-pass type IV membrane protein", "membrane"), ("Peripheral membrane protein", "membrane"),
        ("Lipid-anchor", "membrane"), ("Lipid-anchor, GPI-anchor", "membrane"), ("GPI-anchor", "membrane"),
        // Secreted and every part of it.
        ("Secreted", "secreted"), ("Secreted, cell wall", "secreted"), ("Secreted, extracellular space", "secreted"),
        ("Secreted, capsule", "secreted"), ("Secreted, extracellular exosome", "secreted"),
        ("Secreted, extracellular space, extracellular matrix", "secreted"), ("Extracellular space", "secreted"),
        // Locations that do not say which of the three compartments.
        ("Periplasm", nil), ("Cell envelope", nil), ("Cell wall", nil), ("Cell surface", nil), ("Capsule", nil),
        ("Cell septum", nil), ("Cell pole", nil), ("Cell tip", nil), ("Cell projection", nil),
        ("Cell projection, cilium", nil), ("Cytoplasmic vesicle", nil), ("Cytoplasmic vesicle, secretory vesicle", nil),
        ("Cytoplasmic vesicle membrane", nil), ("Cytoplasmic granule", nil), ("Membrane raft", nil), ("Nucleus", nil),
        ("Host cytoplasm", nil), ("Host cell membrane", nil), ("Host nucleus", nil), ("Virion", nil),
        // Orientations.
        ("Cytoplasmic side", nil), ("Extracellular side", nil), ("Periplasmic side", nil), ("Lumenal side", nil),
    ] as [(String, String?)])
    func uniprotVocabularyTermByTerm(term: String, expected: String?) {
        #expect(LocationMapping.route019.labels(forLocationTerm: term) == (expected.map { [$0] } ?? []))
        let text = "SUBCELLULAR LOCATION: \(term) {ECO:0000255|HAMAP-Rule:MF_01839, ECO:0000269|PubMed:15916962}."
        #expect(cleaner.clean(uniprotLocation: text) == (expected.map(LabelOutcome.label) ?? .missing))
    }

    @Test func subLocationsVoteByTheirTopLevelOnlyWithoutARuleOfTheirOwn() throws {
        let mapping = try LocationMapping(table: "Cytoplasm\tinside\nCytoplasm, cell pole\tpole\n")
        #expect(mapping.labels(forLocationTerm: "Cytoplasm, nucleoid") == ["inside"])
        #expect(mapping.labels(forLocationTerm: "Cytoplasm, cell pole") == ["pole"])
        #expect(mapping.labels(forLocationTerm: ", nucleoid") == [])
        // GO names are matched whole: a comma in one does not make it vote by its head.
        #expect(LabelCleaner(mapping: mapping).clean(goTerms: "cytoplasm, other [GO:1]") == .missing)
    }

    @Test func nucleoidAnnotationsAreCytoplasmic() {
        #expect(cleaner.clean(uniprotLocation: "SUBCELLULAR LOCATION: Cytoplasm, nucleoid {ECO:0000269|PubMed:11886550, "
            + "ECO:0000269|PubMed:22380631}. Note=Restricted to the nucleoid region, far from the cell poles.")
            == .label("cytoplasm"))
        #expect(cleaner.clean(uniprotLocation: "SUBCELLULAR LOCATION: Cytoplasm, nucleoid. Cell membrane; Peripheral "
            + "membrane protein.") == .ambiguous(["cytoplasm", "membrane"]))
        #expect(cleaner.clean(uniprotLocation: "SUBCELLULAR LOCATION: Cytoplasmic vesicle, secretory vesicle.") == .missing)
    }

    @Test func uniprotTermParsing() {
        let terms = LabelCleaner.uniprotTerms(
            "SUBCELLULAR LOCATION: Cell membrane {ECO:0000255}; Multi-pass membrane protein {ECO:0000255}. "
                + "Note=Localizes to the poles. Also found in the cytoplasm.")
        #expect(terms == ["Cell membrane", "Multi-pass membrane protein"])
        #expect(LabelCleaner.goTermNames("a b [GO:1]; c [GO:2];") == ["a b", "c"])
    }

    @Test func tableLoadsCustomMappings() throws {
        let mapping = try LocationMapping(table: """
            # a two-class mapping
            nucleus\tinside\tcontains
            Secreted\toutside\tprefix

            cell wall\toutside
            """)
        #expect(mapping.classes == ["inside", "outside"])
        #expect(mapping.rules.count == 3)
        #expect(mapping.rules[2].match == .exact)
        let c = LabelCleaner(mapping: mapping)
        #expect(c.clean(goTerms: "outer nucleus envelope [GO:1]") == .label("inside"))
        #expect(c.clean(goTerms: "cell wall [GO:2]; nucleus [GO:3]") == .ambiguous(["inside", "outside"]))
        #expect(c.clean(uniprotLocation: "SUBCELLULAR LOCATION: Secreted, capsule.") == .label("outside"))
        #expect(c.clean(goTerms: "cytoplasm [GO:0005737]") == .missing)
    }

    @Test func tableErrorsNameTheLine() {
        #expect(throws: LocationMappingError.self) { try LocationMapping(table: "cytoplasm\n") }
        do {
            _ = try LocationMapping(table: "a\tb\n\nc\td\tfuzzy\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.contains("fuzzy"))
            #expect(error.description.contains("line 3"))
        }
    }

    @Test func defaultTableRoundTrips() throws {
        #expect(try LocationMapping(table: LocationMapping.route019Table) == LocationMapping.route019)
    }

    @Test func cleanAllCountsOutcomes() {
        let (labels, report) = cleaner.cleanAll(
            ["cytoplasm [GO:0005737]", "membrane [GO:0016020]", "plasma membrane [GO:0005886]",
             "cytosol [GO:0005829]; membrane [GO:0016020]", "ribosome [GO:0005840]", ""],
            source: .goTerms)
        #expect(labels == ["cytoplasm", "membrane", "membrane", nil, nil, nil])
        #expect(report.keptPerClass == [1, 2, 0])
        #expect(report.kept("membrane") == 2)
        #expect(report.ambiguous == 1)
        #expect(report.missing == 2)
        #expect(report.total == 6)
    }

    /// The GO mapping must reproduce the real dataset's `location` column row for row.
    @Test(.enabled(if: Reference.isAvailable, "needs NumPy, SciPy, scikit-learn, h5py and openpyxl (CI requires them)"))
    func reproducesTheDatasetLocationColumn() throws {
        let out = try Reference.run("""
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline().strip(),
                                        read_only=True).active
            rows = ws.iter_rows(values_only=True)
            header = list(next(rows))
            go, loc = header.index("Gene Ontology (cellular component)"), header.index("location")
            for r in rows:
                print((r[go] or "") + "\\t" + (r[loc] or ""))
            """, input: Reference.datasetXLSX + "\n")
        let rows = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(rows.count == 2443)
        let parts = rows.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let (labels, report) = cleaner.cleanAll(parts.map { $0[0] }, source: .goTerms)
        var mismatches = 0
        for (label, p) in zip(labels, parts) where (label ?? "") != p[1] { mismatches += 1 }
        #expect(mismatches == 0)
        #expect(report.keptPerClass == [379, 1128, 147])
        #expect(report.ambiguous == 668)
        #expect(report.missing == 121)
    }
}
