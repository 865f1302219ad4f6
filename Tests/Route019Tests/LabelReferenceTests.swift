@testable import BelayData
import BelayFormats
import BelayGrading
import BelayLab
import BelayRoute
import BelayTestSupport
import Foundation
import Route019
import Testing

/// A course-like dataset: UniProt text next to a cleaned `location` column that the course curated differently on
/// some rows (as real course sheets do), with a small HDF5 of embeddings.
struct CourseLikeSheet {
    let directory: TemporaryDirectory
    let reference: Route019Reference
    /// The column's values as written in the sheet (before normalization), by id.
    let columnValue: [String: String]
    /// Sheet rows in order: (id, sequence, text).
    let rows: [(id: String, sequence: String, text: String)]
    /// Ids whose column value was changed away from Belay's cleaning.
    let changed: [String]
    /// The id of the row whose text is `Cytoplasm, nucleoid`.
    let nucleoidID: String

    static let nucleoidText =
        "SUBCELLULAR LOCATION: Cytoplasm, nucleoid {ECO:0000255|HAMAP-Rule:MF_01839, ECO:0000269|PubMed:15916962}."

    /// Builds the sheet from Belay's synthetic data: the text cleans by Belay's rule, then every 25th row's column
    /// is curated differently (another class, blank, or a class where the text is blank), some column cells are
    /// written in other cases or with spaces, and one row says `Cytoplasm, nucleoid`.
    static func make() throws -> CourseLikeSheet {
        let directory = try TemporaryDirectory(prefix: "belay-labels")
        var config = SynthConfig()
        config.proteins = 700
        config.labeled = 480
        config.dimension = 24
        config.seed = 11
        let synth = SynthGenerator.generate(config)
        try synth.write(to: directory.url)  // the HDF5 (and a sheet replaced below)

        let header = synth.sheetHeader
        let textColumn = header.firstIndex(of: "Subcellular location [CC]")!
        let locationColumn = header.firstIndex(of: "location")!
        let classes = ["cytoplasm", "membrane", "secreted"]
        var sheetRows = synth.sheetRows()
        var changed: [String] = []
        var nucleoidID = ""
        for i in sheetRows.indices {
            let id = sheetRows[i][0]
            if i == 3 {
                sheetRows[i][textColumn] = nucleoidText
                sheetRows[i][locationColumn] = "cytoplasm"
                nucleoidID = id
                continue
            }
            guard i % 25 == 7 else {
                // Harmless spelling variants of the same label.
                if i % 11 == 0, !sheetRows[i][locationColumn].isEmpty {
                    sheetRows[i][locationColumn] = " " + sheetRows[i][locationColumn].uppercased() + "  "
                }
                continue
            }
            let current = sheetRows[i][locationColumn]
            let compartment = synth.proteins[synth.labeledIndices[i]].compartment.rawValue
            switch (i / 25) % 3 {
            case 0:  // another class
                let other = current.isEmpty ? compartment : classes.first { $0 != current }!
                if other == current { continue }
                sheetRows[i][locationColumn] = other
            case 1:  // the curator dropped a protein the text labels (or labelled one it drops)
                sheetRows[i][locationColumn] = current.isEmpty ? compartment : ""
            default:  // labelled although the text is blank (the course knew better)
                sheetRows[i][textColumn] = ""
                sheetRows[i][locationColumn] = compartment
            }
            changed.append(id)
        }
        let lengthColumn = header.firstIndex(of: "Length")
        let cells: [[XLSXCell]] =
            [header.map { .string($0) }]
            + sheetRows.map { row in
                row.enumerated().map { c, text in
                    if c == lengthColumn, let n = Double(text) { return .number(n) }
                    return text.isEmpty ? .empty : .string(text)
                }
            }
        try XLSXWriter.write(
            sheetName: "Sheet0", rows: cells, to: directory.file(CourseDataset.sheetFileName))

        let dataset = try CourseDataset.load(directory: directory.url)
        let sequenceColumn = header.firstIndex(of: "Sequence")!
        var columnValue: [String: String] = [:]
        for row in sheetRows { columnValue[row[0]] = row[locationColumn] }
        return CourseLikeSheet(
            directory: directory, reference: Route019Reference(dataset: dataset), columnValue: columnValue,
            rows: sheetRows.map { ($0[0], $0[sequenceColumn], $0[textColumn]) }, changed: changed,
            nucleoidID: nucleoidID)
    }

    /// A features.csv of (id, label) rows, with the 21 features computed from the sequence.
    func featuresCSV(_ labelled: [(id: String, label: String)]) -> String {
        let sequences = Dictionary(rows.map { ($0.id, $0.sequence) }, uniquingKeysWith: { a, _ in a })
        let header = ["protein_id", "location", "length"] + AminoAcids.standard.map(String.init)
        let body = labelled.map { item -> [String] in
            let f = sequenceFeatures(sequences[item.id] ?? "")
            return [item.id, item.label, String(f.length)] + f.counts.map(String.init)
        }
        return CSVWriter.render(header: header, rows: body)
    }

    /// The student who follows the course: the sheet's column as written, blank rows dropped.
    var columnStudent: [(id: String, label: String)] {
        rows.compactMap { r in
            let v = columnValue[r.id] ?? ""
            return v.trimmingCharacters(in: .whitespaces).isEmpty ? nil : (r.id, v)
        }
    }

    /// The student who cleans the text the way Belay does (evidence and notes ignored, sub-locations by their top).
    var cleaningStudent: [(id: String, label: String)] {
        let cleaner = LabelCleaner()
        return rows.compactMap { r in cleaner.clean(uniprotLocation: r.text).label.map { (r.id, $0) } }
    }

    /// Grades a folder holding only `files`, as an instructor.
    func grade(_ files: [String: String]) async throws -> GradeReport {
        let folder = try TemporaryDirectory(prefix: "belay-labels-sub")
        defer { folder.cleanup() }
        for (name, text) in files { try Data(text.utf8).write(to: folder.file(name)) }
        let grader = Route019Grader(reference: reference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
        return await grader.grade(submissionAt: folder.url, name: "student")
    }
}

@Suite("The course's labels are the reference when the course gives them", .serialized)
struct LabelReferenceTests {
    static let sheet: CourseLikeSheet = {
        do { return try CourseLikeSheet.make() } catch { preconditionFailure("course-like sheet: \(error)") }
    }()

    static let exercise0 = [
        "ex0.features.readable", "ex0.features.columns", "ex0.features.ids", "ex0.features.values", "ex0.labels.agree",
        "ex0.labels.coverage",
    ]

    func expectFullMarksOnExercise0(_ report: GradeReport, _ who: String) {
        for id in Self.exercise0 {
            let r = report.result(id)
            #expect(r?.outcome == .passed, "\(who): \(id): \(r?.message ?? "missing") \(r?.details ?? "")")
            #expect(r.map { $0.pointsEarned == $0.pointsPossible } == true, "\(who): \(id) points")
        }
    }

    @Test func theColumnIsTheReferenceAndDisagreementsAreKept() {
        let s = Self.sheet
        let labels = s.reference.labelReference
        #expect(labels.usesColumn)
        #expect(labels.source.phrase == "the sheet's location column")
        // Reference labels are the column's, normalized.
        for (id, label) in zip(s.reference.ids, s.reference.labels) {
            #expect(LabelReference.normalize(s.columnValue[id] ?? "") == label, "\(id)")
        }
        #expect(s.reference.ids.count == s.columnStudent.count)
        // Every changed row is a disagreement with Belay's cleaning, and nothing else is.
        let disagreeing = Set(labels.disagreements.map(\.id))
        #expect(disagreeing == Set(s.changed), "\(disagreeing.symmetricDifference(s.changed))")
        #expect(s.reference.cleaning.disagreements == s.changed.count)
        #expect(s.changed.count >= 15)
        // Both kinds of one-sided rows occur: labelled only by the column, and only by the cleaning.
        #expect(!Set(labels.columnIDs).isSubset(of: labels.cleaningIDs))
        #expect(!Set(labels.cleaningIDs).isSubset(of: labels.columnIDs))
        #expect(labels.outsideClasses.isEmpty)
        for d in labels.disagreements {
            #expect(d.row >= 2)
            #expect(labels.entry(d.id)?.column.map { ["cytoplasm", "membrane", "secreted"].contains($0) } ?? true)
        }
        #expect(labels.disagreementLines().count == s.changed.count)
        #expect(s.reference.summaryTable().contains("disagrees with the column on \(s.changed.count) rows"))
    }

    @Test func cytoplasmNucleoidIsCytoplasm() throws {
        let s = Self.sheet
        let entry = try #require(s.reference.labelReference.entry(s.nucleoidID))
        #expect(entry.cleaning == .label("cytoplasm"))
        #expect(entry.column == "cytoplasm")
        #expect(!s.reference.labelReference.disagreements.contains { $0.id == s.nucleoidID })
        #expect(LabelCleaner().clean(uniprotLocation: CourseLikeSheet.nucleoidText) == .label("cytoplasm"))
    }

    @Test func aStudentUsingTheColumnScoresFullMarks() async throws {
        let s = Self.sheet
        let report = try await s.grade(["features.csv": s.featuresCSV(s.columnStudent)])
        expectFullMarksOnExercise0(report, "column student")
        let agree = try #require(report.result("ex0.labels.agree"))
        #expect(agree.message.contains("100%") && agree.message.contains("the sheet's location column"), "\(agree.message)")
    }

    /// The column student as the course text has it: pandas reads the sheet, keeps the rows with a `location`,
    /// counts residues with `str.count`, and writes features.csv with `to_csv(index=False)`.
    @Test(.enabled(if: Python.isAvailable("pandas", "openpyxl"), "needs pandas and openpyxl (CI requires them)"))
    func aPandasStudentUsingTheColumnScoresFullMarks() async throws {
        let s = Self.sheet
        let out = try TemporaryDirectory(prefix: "belay-labels-pandas")
        defer { out.cleanup() }
        _ = try Python.output(
            script: """
                import sys, pandas as pd
                df = pd.read_excel(sys.argv[1] + "/mtb_with_localization.xlsx")
                df = df[df["location"].notna()]
                out = pd.DataFrame({"protein_id": df["Entry"], "location": df["location"],
                                    "length": df["Sequence"].str.len()})
                for aa in "ACDEFGHIKLMNPQRSTVWY":
                    out[aa] = df["Sequence"].str.count(aa)
                out.to_csv(sys.argv[2], index=False)
                """, arguments: [s.directory.path, out.file("features.csv").path])
        let csv = try String(contentsOf: out.file("features.csv"), encoding: .utf8)
        let report = try await s.grade(["features.csv": csv])
        expectFullMarksOnExercise0(report, "pandas column student")
    }

    @Test func aStudentCleaningTheTextScoresFullMarks() async throws {
        let s = Self.sheet
        let report = try await s.grade(["features.csv": s.featuresCSV(s.cleaningStudent)])
        expectFullMarksOnExercise0(report, "cleaning student")
        let agree = try #require(report.result("ex0.labels.agree"))
        // Credited through the cleaning on the rows where the column says otherwise (those the student kept).
        #expect(agree.message.contains("through Belay's cleaning of the Subcellular location [CC] text"), "\(agree.message)")
        #expect(agree.details.contains("Reference: the sheet's location column."), "\(agree.details)")
        let coverage = try #require(report.result("ex0.labels.coverage"))
        #expect(coverage.details.contains("Belay's cleaning"), "\(coverage.details)")
    }

    @Test func flippingTenPercentOfLabelsFails() async throws {
        let s = Self.sheet
        let flipped = s.columnStudent.enumerated().map { i, row -> (id: String, label: String) in
            guard i % 10 == 0 else { return row }
            let l = LabelReference.normalize(row.label)
            return (row.id, l == "membrane" ? "cytoplasm" : "membrane")
        }
        let report = try await s.grade(["features.csv": s.featuresCSV(flipped)])
        let agree = try #require(report.result("ex0.labels.agree"))
        #expect(agree.outcome == .failed, "\(agree.message)")
        #expect(agree.message.contains("agree"))
        // The same flips on the cleaning student's labels fail too.
        let flippedCleaning = s.cleaningStudent.enumerated().map { i, row -> (id: String, label: String) in
            i % 10 == 0 ? (row.id, row.label == "membrane" ? "cytoplasm" : "membrane") : row
        }
        let again = try await s.grade(["features.csv": s.featuresCSV(flippedCleaning)])
        #expect(again.result("ex0.labels.agree")?.outcome == .failed)
    }

    @Test func alignmentAcceptsEitherLabelledSet() async throws {
        let s = Self.sheet
        let embedded = s.reference.embeddedSheetIDs
        func clusters(_ ids: [String]) -> String {
            CSVWriter.render(header: ["protein_id", "cluster_id"], rows: ids.enumerated().map { [$0.element, String($0.offset)] })
        }
        let columnSet = s.columnStudent.map(\.id).filter(embedded.contains)
        let cleaningSet = s.cleaningStudent.map(\.id).filter(embedded.contains)
        #expect(Set(columnSet) != Set(cleaningSet))
        // Without a usable features.csv, either labelled set is accepted.
        for (name, ids) in [("column", columnSet), ("cleaning", cleaningSet)] {
            let report = try await s.grade(["clusters.csv": clusters(ids)])
            let r = report.result("ex3.alignment")
            #expect(r?.outcome == .passed, "\(name): \(r?.message ?? "") \(r?.details ?? "")")
        }
        // With the cleaning student's features.csv, its own set is expected.
        let own = try await s.grade([
            "features.csv": s.featuresCSV(s.cleaningStudent), "clusters.csv": clusters(cleaningSet),
        ])
        #expect(own.result("ex3.alignment")?.outcome == .passed)
        // Losing proteins fails whichever set is followed.
        let lost = try await s.grade(["clusters.csv": clusters(Array(cleaningSet.dropFirst(3)))])
        let r = try #require(lost.result("ex3.alignment"))
        #expect(r.outcome == .failed)
        #expect(r.details.contains("Lost"), "\(r.details)")
    }

    @Test func withoutAColumnBelaysCleaningIsTheReference() throws {
        let directory = try TemporaryDirectory(prefix: "belay-labels-nocol")
        defer { directory.cleanup() }
        var config = SynthConfig()
        config.proteins = 200
        config.labeled = 120
        config.dimension = 8
        let synth = SynthGenerator.generate(config)
        try synth.write(to: directory.url)
        let header = Array(synth.sheetHeader.dropLast())  // no `location`
        let cells: [[XLSXCell]] =
            [header.map { .string($0) }] + synth.sheetRows().map { row in row.dropLast().map { $0.isEmpty ? .empty : .string($0) } }
        try XLSXWriter.write(sheetName: "Sheet0", rows: cells, to: directory.file(CourseDataset.sheetFileName))
        let reference = Route019Reference(dataset: try CourseDataset.load(directory: directory.url))
        #expect(!reference.labelReference.usesColumn)
        #expect(reference.labelReference.source.phrase == "Belay's cleaning of the Subcellular location [CC] text")
        #expect(reference.labelReference.disagreements.isEmpty)
        let expected = synth.labeledIndices.compactMap { i in synth.proteins[i].location.map { (synth.proteins[i].entry, $0) } }
        #expect(reference.ids == expected.map(\.0))
        #expect(reference.labels == expected.map(\.1))
    }

    @Test func columnValuesAreNormalizedAndOutsideValuesReported() {
        func protein(_ id: String, _ text: String, _ column: String?, row: Int) -> SheetProtein {
            SheetProtein(id: id, sequence: "MK", locationText: text, givenLocation: column, row: row)
        }
        let sheet = [
            protein("A", "SUBCELLULAR LOCATION: Cytoplasm.", "  Cytoplasm ", row: 2),
            protein("B", "SUBCELLULAR LOCATION: Secreted.", "SECRETED", row: 3),
            protein("C", "SUBCELLULAR LOCATION: Periplasm.", "periplasm", row: 4),
            protein("D", "SUBCELLULAR LOCATION: Cell membrane.", nil, row: 5),
            protein("A", "SUBCELLULAR LOCATION: Secreted.", "secreted", row: 6),  // a repeated id: the first row counts
        ]
        let cleaner = LabelCleaner()
        let labels = LabelReference(
            proteins: sheet, outcomes: sheet.map { cleaner.clean(uniprotLocation: $0.locationText) }, textSource: .uniprot)
        #expect(labels.usesColumn)
        #expect(labels.proteins.count == 4)
        #expect(labels.referenceIDs == ["A", "B"])
        #expect(labels.cleaningIDs == ["A", "B", "D"])
        #expect(labels.outsideClasses.map(\.id) == ["C"])
        #expect(labels.disagreements.map(\.id) == ["D"])  // C: the column's value is dropped and so is the text
        let c = labels.entry("C")!
        #expect(labels.dropReason(c).contains("`periplasm` is not one of"))
        #expect(labels.credit(for: c, label: "periplasm", raw: " Periplasm") == .reference)
        let d = labels.entry("D")!
        #expect(labels.credit(for: d, label: "membrane", raw: "membrane") == .alternative)
        #expect(labels.credit(for: d, label: "cytoplasm", raw: "cytoplasm") == nil)
        #expect(labels.credit(for: labels.entry("A")!, label: "cytoplasm", raw: "Cytoplasm") == .reference)
        #expect(labels.disagreementLines().first?.contains("row 5 `D`: location column blank; Belay's cleaning membrane") == true)
    }

    /// A column in another vocabulary is not a reference: Belay must stop, not drop most proteins and grade on.
    @Test func aColumnOfAnotherVocabularyIsRefusedAndStrayValuesAreNot() {
        let cleaner = LabelCleaner()
        func labels(_ columns: [String]) -> LabelReference {
            let sheet = columns.enumerated().map { i, column in
                SheetProtein(
                    id: "P\(i)", sequence: "MK", locationText: "SUBCELLULAR LOCATION: Cytoplasm.", givenLocation: column,
                    row: i + 2)
            }
            return LabelReference(
                proteins: sheet, outcomes: sheet.map { cleaner.clean(uniprotLocation: $0.locationText) }, textSource: .uniprot)
        }
        let otherVocabulary = labels((0..<20).map { $0 % 2 == 0 ? "Cytoplasmic" : "Membrane-bound" })
        let problem = otherVocabulary.integrityProblem
        #expect(problem?.contains("in 20 of its 20 filled rows") == true, "\(problem ?? "nil")")
        #expect(problem?.contains("row 2, protein `P0`") == true)
        #expect(problem?.contains("remove the column") == true)
        let oneStray = labels((0..<20).map { $0 == 7 ? "periplasm" : "cytoplasm" })
        #expect(oneStray.integrityProblem == nil)
        #expect(oneStray.outsideClasses.map(\.id) == ["P7"])
    }
}
