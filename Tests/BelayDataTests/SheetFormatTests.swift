import BelayFormats
import BelayTestSupport
import Foundation
import Testing
@testable import BelayData

/// The protein sheet as UniProt and spreadsheets hand it out: the course's workbook, UniProt's default TSV
/// download (also gzipped), a CSV, and workbooks whose proteins are not on the first sheet.
@Suite("Sheet formats")
struct SheetFormatTests {
    /// A folder with the base's embeddings and its sheet rewritten by `python` (pandas: `df` is the base sheet,
    /// `out` the folder).
    static func rewritten(_ python: String, in directory: TemporaryDirectory, name: String) throws -> (URL, CourseDataset) {
        let base = try CourseDatasetTests.makeBase(directory)
        let expected = try CourseDataset.load(directory: base)
        let folder = directory.file(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: base.appendingPathComponent(CourseDataset.embeddingFileName),
            to: folder.appendingPathComponent(CourseDataset.embeddingFileName))
        _ = try Python.output(script: """
            import sys, os, pandas as pd
            df = pd.read_excel(sys.argv[1], dtype=str, keep_default_na=False)
            out = sys.argv[2]
            \(python)
            """, arguments: [base.appendingPathComponent(CourseDataset.sheetFileName).path, folder.path])
        return (folder, expected)
    }

    @Test(.enabled(if: Python.isAvailable("pandas", "openpyxl")), arguments: [
        ("UniProt TSV", "df.to_csv(os.path.join(out, 'uniprotkb_mtb.tsv'), sep='\\t', index=False)"),
        ("gzipped TSV", "df.to_csv(os.path.join(out, 'uniprotkb_mtb.tsv.gz'), sep='\\t', index=False, compression='gzip')"),
        ("CSV", "df.to_csv(os.path.join(out, 'proteins.csv'), index=False)"),
    ])
    func textSheetsGiveTheSameDatasetAsTheWorkbook(kind: String, python: String) throws {
        let directory = try TemporaryDirectory(prefix: "belay-sheet")
        defer { directory.cleanup() }
        let (folder, expected) = try Self.rewritten(python, in: directory, name: kind.replacingOccurrences(of: " ", with: "-"))
        let dataset = try CourseDataset.load(directory: folder)
        #expect(dataset.proteins.map(\.id) == expected.proteins.map(\.id), "\(kind)")
        #expect(dataset.proteins.map(\.sequence) == expected.proteins.map(\.sequence), "\(kind)")
        #expect(dataset.proteins.map(\.locationText) == expected.proteins.map(\.locationText), "\(kind)")
        #expect(dataset.proteins.map(\.givenLocation) == expected.proteins.map(\.givenLocation), "\(kind)")
        #expect(dataset.embeddings == expected.embeddings, "\(kind)")
    }

    /// A workbook whose first sheet is notes: the error lists the other sheets and says how to pick one, and
    /// `--sheet` takes the name or the 1-based index.
    @Test(.enabled(if: Python.isAvailable("pandas", "openpyxl")))
    func proteinsOnTheSecondSheetArePickedByNameOrIndex() throws {
        let directory = try TemporaryDirectory(prefix: "belay-sheet")
        defer { directory.cleanup() }
        let (folder, expected) = try Self.rewritten(
            """
            with pd.ExcelWriter(os.path.join(out, 'mtb_with_localization.xlsx')) as w:
                pd.DataFrame({'note': ['downloaded from UniProt']}).to_excel(w, sheet_name='Read me', index=False)
                df.to_excel(w, sheet_name='Proteins', index=False)
            """, in: directory, name: "two-sheets")
        do {
            _ = try CourseDataset.load(directory: folder)
            Issue.record("the notes sheet was read as proteins")
        } catch let error as DatasetError {
            #expect(error.description.contains("sheet 'Read me' has no id column"), "\(error)")
            #expect(error.description.contains("\"Proteins\""), "\(error)")
            #expect(error.description.contains("--sheet"), "\(error)")
        }
        for choice in ["Proteins", "proteins", "2"] {
            let dataset = try CourseDataset.load(directory: folder, sheetName: choice)
            #expect(dataset.proteins.map(\.id) == expected.proteins.map(\.id), "--sheet \(choice)")
        }
        do {
            _ = try CourseDataset.load(directory: folder, sheetName: "3")
            Issue.record("--sheet 3 of 2 was accepted")
        } catch let error as DatasetError {
            #expect(error.description.contains("there is no sheet 3: the workbook has 2 (1. \"Read me\", 2. \"Proteins\")"), "\(error)")
        }
    }
}
