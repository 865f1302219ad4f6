import BelayFormats
import BelayTestSupport
import Foundation
import Testing

@Suite("CSV")
struct CSVTests {
    @Test func bomCRLFAndHeaderSpacesAreTolerated() throws {
        let table = try CSVTable.read(contentsOf: try Paths.fixture("csv/bom_crlf.csv"))
        #expect(table.header == ["Entry", "Sequence", "location"])
        #expect(table.rows == [["Rv0001", "MTDP", "cytoplasm"], ["Rv0002", "MKK", "membrane"]])
        #expect(table.lineNumbers == [2, 3])
        #expect(table.delimiter == ",")
        #expect(table.columnIndex("  sequence ") == 1)
        #expect(table.columnIndex("LOCATION") == 2)
        #expect(table.columnIndex("missing") == nil)
        #expect(table.fileName == "bom_crlf.csv")
    }

    @Test func semicolonIsDetectedAndCommasStayInFields() throws {
        let table = try CSVTable.read(contentsOf: try Paths.fixture("csv/semicolon.csv"))
        #expect(table.delimiter == ";")
        #expect(table.rows[0] == ["Rv0001", "MT,DP", "cytoplasm"])
    }

    @Test func tabIsDetected() throws {
        let table = try CSVTable.read(contentsOf: try Paths.fixture("csv/tab.tsv"))
        #expect(table.delimiter == "\t")
        #expect(table.rows == [["Rv0001", "MTDP", "cytoplasm"]])
    }

    @Test func quotedFieldsHoldNewlinesQuotesAndDelimiters() throws {
        let table = try CSVTable.read(contentsOf: try Paths.fixture("csv/quoted_newlines.csv"))
        #expect(table.rows[0] == ["Rv0001", "line one\nline \"two\", with comma", "cytoplasm"])
        #expect(table.rows[1] == ["Rv0002", "plain", "membrane"])
        // The second row starts on physical line 4 because the first spans lines 2 and 3.
        #expect(table.lineNumbers == [2, 4])
    }

    @Test func blankLinesAndBareCRAreSkippedAndCounted() throws {
        let table = try CSVTable.read(contentsOf: try Paths.fixture("csv/blank_lines_cr.csv"))
        #expect(table.rows == [["Rv0001", "cytoplasm"], ["Rv0002", "membrane"]])
        #expect(table.lineNumbers == [3, 5])
    }

    @Test func shortRowsAreKeptForTheCaller() throws {
        let table = try CSVTable.read(contentsOf: try Paths.fixture("csv/ragged_short.csv"))
        #expect(table.rows[0] == ["Rv0001", "MTDP"])
        #expect(table.value(row: 0, column: 2) == nil)
        #expect(table.value(row: 1, column: 2) == "membrane")
    }

    @Test(arguments: [
        ("too_many_fields.csv", 3, 17, "row has 3 fields but the header has 2"),
        ("unterminated_quote.csv", 2, 8, "unterminated quoted field"),
        ("duplicate_header.csv", 1, 16, "duplicate header name \"Location\" in columns 2 and 3"),
        ("empty.csv", 1, nil, "the file is empty"),
        ("invalid_utf8.csv", 2, 12, "not valid UTF-8"),
        ("text_after_quote.csv", 2, 14, "unexpected text after a closing quote"),
    ] as [(String, Int, Int?, String)])
    func refusedVariantsNameFileLineAndColumn(file: String, line: Int, column: Int?, message: String) throws {
        let url = try Paths.fixture("csv/" + file)
        let error = try #require(throws: CSVError.self) { try CSVTable.read(contentsOf: url) }
        #expect(error.fileName == file)
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("\(file):\(line):"))
    }

    @Test func singleColumnWithoutDelimiterAndNoFinalNewline() throws {
        let table = try CSVTable.parse("id\nA\nB", fileName: "one.csv")
        #expect(table.header == ["id"])
        #expect(table.rows == [["A"], ["B"]])
    }

    @Test func emptyFieldsAndTrailingDelimitersAreFields() throws {
        let table = try CSVTable.parse("a,b,c\n,,\n1,,3\n", fileName: "e.csv")
        #expect(table.rows == [["", "", ""], ["1", "", "3"]])
    }

    @Test func writerQuotesOnlyWhatNeedsIt() {
        let text = CSVWriter.render(header: ["id", "note"], rows: [["a", "x,y"], ["b", "say \"hi\""], ["c", "two\nlines"], ["d", "plain"]])
        #expect(text == "id,note\na,\"x,y\"\nb,\"say \"\"hi\"\"\"\nc,\"two\nlines\"\nd,plain\n")
    }

    @Test func writerOutputReadsBackIdentically() throws {
        let rows = [["Rv0001", "semi;colon", " padded ", "tab\there", "ünïcødé"], ["Rv0002", "", "\"", "\r\n", "x"]]
        let header = ["a", "b", "c", "d", "e"]
        let table = try CSVTable.parse(CSVWriter.render(header: header, rows: rows), fileName: "rt.csv")
        #expect(table.delimiter == ",")
        #expect(table.header == header)
        #expect(table.rows == rows)
    }

    @Test(.enabled(if: Python.isAvailable("pandas"), "needs Python's pandas (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func pandasReadsWhatTheWriterWrites() throws {
        let text = CSVWriter.render(header: ["id", "note"], rows: [["a", "x,y"], ["b", "say \"hi\""], ["c", "two\nlines"]])
        let output = try Python.output(script: """
            import sys, io, json, pandas as pd
            df = pd.read_csv(io.StringIO(sys.stdin.read()), dtype=str, keep_default_na=False)
            print(json.dumps(df.values.tolist()))
            """, stdin: Data(text.utf8))
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == #"[["a", "x,y"], ["b", "say \"hi\""], ["c", "two\nlines"]]"#)
    }
}
