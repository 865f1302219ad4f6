import BelayFormats
import BelayTestSupport
import Foundation
import Testing

/// A tag per cell, so Swift and Python values compare as plain strings.
private func tag(_ cell: XLSXCell) -> String {
    switch cell {
    case .empty: return "e:"
    case .string(let text): return "s:" + text
    case .number(let value): return "n:\(value)"
    case .bool(let value): return value ? "b:True" : "b:False"
    }
}

/// Python that prints a workbook's first sheet as the same tags (via openpyxl), as JSON rows.
private let openpyxlTags = """
    import sys, json, openpyxl
    ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
    def tag(v):
        if v is None: return "e:"
        if isinstance(v, bool): return "b:" + str(v)
        if isinstance(v, (int, float)): return "n:" + repr(float(v))
        return "s:" + str(v)
    rows = [[tag(v) for v in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
    print(json.dumps(rows))
    """

private func tags(_ sheet: XLSXSheet) -> [[String]] { sheet.rows.map { $0.map(tag) } }

private func pythonTags(_ url: URL) throws -> [[String]] {
    let json = try Python.output(script: openpyxlTags, arguments: [url.path])
    return try JSONDecoder().decode([[String]].self, from: Data(json.utf8))
}

@Suite("XLSX")
struct XLSXTests {
    @Test(.enabled(if: Python.isAvailable("openpyxl"), "needs Python's openpyxl (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func readsWhatOpenpyxlWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("openpyxl.xlsx")
        try Python.run(script: """
            import sys, openpyxl
            from openpyxl.cell.rich_text import CellRichText, TextBlock
            from openpyxl.cell.text import InlineFont
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Proteins"
            ws.append(["Entry", "Length", "Ratio", "Flag", "Note"])
            ws.append(["Rv0001", 507, 0.25, True, "a & b < c"])
            ws.append(["Rv0002", 402, -1.5e-07, False, None])
            ws["A5"] = "after a gap"
            ws["AB5"] = 3.0
            ws["C6"] = CellRichText(["rich ", TextBlock(InlineFont(b=True), "bold"), " text"])
            ws["D7"] = "  spaces kept  "
            ws["E8"] = "ünïcødé ✓ 𝔸"
            wb.create_sheet("Second")["B2"] = "second sheet"
            wb.save(sys.argv[1])
            """, arguments: [url.path])
        #expect(try XLSXReader.sheetNames(at: url) == ["Proteins", "Second"])
        let sheet = try XLSXReader.read(at: url)
        #expect(sheet.name == "Proteins")
        #expect(sheet.rows.count == 8)
        #expect(sheet.columnCount == 28)
        #expect(sheet.rows[1][0] == .string("Rv0001"))
        #expect(sheet.rows[1][1] == .number(507))
        #expect(sheet.rows[1][1].text == "507")
        #expect(sheet.rows[1][3] == .bool(true))
        #expect(sheet.rows[1][4] == .string("a & b < c"))
        #expect(sheet.rows[3] == [XLSXCell](repeating: .empty, count: 28))
        #expect(sheet.rows[4][27] == .number(3))
        #expect(sheet.rows[5][2] == .string("rich bold text"))
        #expect(sheet.rows[6][3] == .string("  spaces kept  "))
        let expected = try pythonTags(url)
        #expect(tags(sheet) == expected)
        let second = try XLSXReader.read(at: url, sheet: "second")
        #expect(second.rows == [[.empty, .empty], [.empty, .string("second sheet")]])
        let error = try #require(throws: XLSXError.self) { try XLSXReader.read(at: url, sheet: "Third") }
        #expect(error.description.contains("no sheet named \"Third\""))
    }

    @Test(.enabled(if: Python.isAvailable("pandas", "openpyxl"), "needs Python's pandas and openpyxl (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func readsWhatPandasWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("pandas.xlsx")
        try Python.run(script: """
            import sys, pandas as pd, numpy as np
            df = pd.DataFrame({"Entry": ["Rv%04d" % i for i in range(1, 301)],
                               "Length": np.arange(300) * 3 + 29,
                               "score": np.linspace(0, 1, 300),
                               "location": (["cytoplasm", "membrane", None] * 100)})
            df.to_excel(sys.argv[1], index=False, sheet_name="Sheet0")
            """, arguments: [url.path])
        let sheet = try XLSXReader.read(at: url)
        #expect(sheet.name == "Sheet0")
        #expect(sheet.rows.count == 301)
        #expect(sheet.rows[0].map(\.text) == ["Entry", "Length", "score", "location"])
        #expect(sheet.rows[300][0].text == "Rv0300")
        #expect(sheet.rows[3][3] == .empty)
        let expected = try pythonTags(url)
        #expect(tags(sheet) == expected)
    }

    @Test func handlesHandWrittenEdgeCases() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("hand.xlsx")
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        try makeZip(at: url, entries: [
            ("_rels/.rels", """
                <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="book/main.xml"/></Relationships>
                """),
            ("book/main.xml", "<workbook \(ns)><sheets><sheet name=\"Hidden first\" sheetId=\"7\" r:id=\"rIdB\"/><sheet name=\"Data\" sheetId=\"1\" r:id=\"rIdA\"/></sheets></workbook>"),
            ("book/_rels/main.xml.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/book/sheets/data.xml"/>
                <Relationship Id="rIdB" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="./sheets/../sheets/other.xml"/>
                <Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
                </Relationships>
                """),
            ("book/strings.xml", """
                <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>plain</t></si>\
                <si><r><t xml:space="preserve">rich </t></r><r><rPr><b/></rPr><t>runs</t></r><rPh><t>PHONETIC</t></rPh></si>\
                <si><t/></si></sst>
                """),
            ("book/sheets/other.xml", "<worksheet \(ns)><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>"),
            ("book/sheets/data.xml", """
                <worksheet \(ns)><dimension ref="A1:XFD4"/><sheetData>\
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>inline &amp; more</t></is></c>\
                <c r="D1" t="str"><f>A1&amp;"!"</f><v>plain!</v></c><c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" t="b"><v>0</v></c>\
                <c r="G1" s="3"/><c r="H1" t="s"><v>2</v></c></row>\
                <row r="3"><c><v>1.5</v></c><c><v>2E3</v></c><c r="AA3"><v>-7</v></c><c><v>8</v></c></row>\
                <row><c r="XFD4"><v>42</v></c></row>\
                <row r="9" spans="1:3"><c r="C9" s="1"/></row>\
                </sheetData></worksheet>
                """),
        ])
        #expect(try XLSXReader.sheetNames(at: url) == ["Hidden first", "Data"])
        #expect(try XLSXReader.read(at: url).rows == [[.string("x")]])
        let sheet = try XLSXReader.read(at: url, sheet: "Data")
        #expect(sheet.rows.count == 4)  // row 9 holds only a styled empty cell: trailing, dropped
        #expect(sheet.columnCount == 16384)
        #expect(Array(sheet.rows[0].prefix(8)) == [
            .string("plain"), .string("rich runs"), .string("inline & more"), .string("plain!"),
            .string("#DIV/0!"), .bool(false), .empty, .string(""),
        ])
        #expect(sheet.rows[1] == [XLSXCell](repeating: .empty, count: 16384))
        #expect(Array(sheet.rows[2].prefix(2)) == [.number(1.5), .number(2000)])
        #expect(sheet.rows[2][26] == .number(-7))
        #expect(sheet.rows[2][27] == .number(8))
        #expect(sheet.rows[3][16383] == .number(42))
        #expect(sheet.rows[2][0].text == "1.5" && sheet.rows[2][26].text == "-7")
    }

    @Test func refusesBrokenWorkbooksWithThePart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let notZip = directory.file("not.xlsx")
        try Data("hello".utf8).write(to: notZip)
        let error1 = try #require(throws: XLSXError.self) { try XLSXReader.read(at: notZip) }
        #expect(error1.message.contains("zip"))

        let malformed = directory.file("malformed.xlsx")
        try makeZip(at: malformed, entries: [
            ("xl/workbook.xml", "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row></sheetData></worksheet>"),
        ])
        let error2 = try #require(throws: XLSXError.self) { try XLSXReader.read(at: malformed) }
        #expect(error2.part == "xl/worksheets/sheet1.xml")
        #expect(error2.message.contains("line 2"))
        #expect(error2.description.contains("malformed.xlsx [xl/worksheets/sheet1.xml]"))

        let entity = directory.file("entity.xlsx")
        try makeZip(at: entity, entries: [
            ("xl/workbook.xml", "<!DOCTYPE w [<!ENTITY a \"aaaa\">]><workbook><sheets/></workbook>"),
        ])
        let error3 = try #require(throws: XLSXError.self) { try XLSXReader.sheetNames(at: entity) }
        #expect(error3.message.contains("DTD"))

        let badIndex = directory.file("badindex.xlsx")
        try makeZip(at: badIndex, entries: [
            ("xl/workbook.xml", "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"B1\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>"),
        ])
        let error4 = try #require(throws: XLSXError.self) { try XLSXReader.read(at: badIndex) }
        #expect(error4.message.contains("cell B1: shared string index \"5\""))
    }

    /// Cells of every kind, with characters XML must escape.
    static let writerRows: [[XLSXCell]] = [
        [.string("Entry"), .string("Length"), .string("score"), .string("ok")],
        [.string("Rv0001"), .number(507), .number(0.1), .bool(true)],
        [.string("<&> \"quoted\"\ttab"), .empty, .number(-2.5e-10), .bool(false)],
        [.empty, .empty, .empty, .string("  ünïcødé  ")],
    ]

    @Test func writerRoundTripsAndIsDeterministic() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let rows = Self.writerRows
        let first = directory.file("a.xlsx"), second = directory.file("b.xlsx")
        try XLSXWriter.write(sheetName: "Sheet0", rows: rows, to: first)
        try XLSXWriter.write(sheetName: "Sheet0", rows: rows, to: second)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        let back = try XLSXReader.read(at: first)
        #expect(back.name == "Sheet0")
        #expect(back.rows == rows)
        #expect(throws: XLSXError.self) { try XLSXWriter.write(sheetName: "bad/name", rows: rows, to: first) }
        #expect(throws: XLSXError.self) { try XLSXWriter.write(sheetName: "S", rows: [[.number(.nan)]], to: first) }
        #expect(throws: XLSXError.self) { try XLSXWriter.write(sheetName: "S", rows: [[.string("bell\u{7}")]], to: first) }
    }

    @Test(.enabled(if: Python.isAvailable("openpyxl"), "needs Python's openpyxl (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func openpyxlReadsWhatTheWriterWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let file = directory.file("a.xlsx")
        try XLSXWriter.write(sheetName: "Sheet0", rows: Self.writerRows, to: file)
        #expect(try pythonTags(file) == tags(try XLSXReader.read(at: file)))
        let name = try Python.output(script: "import sys, openpyxl; print(openpyxl.load_workbook(sys.argv[1]).sheetnames)",
                                     arguments: [file.path])
        #expect(name.trimmingCharacters(in: .whitespacesAndNewlines) == "['Sheet0']")
    }

    @Test func readsTheEmbeddedH37RvWorkbook() throws {
        let url = Paths.dataFolder.appendingPathComponent("mtb_with_localization.xlsx")
        let sheet = try XLSXReader.read(at: url)
        #expect(sheet.name == "Sheet0")
        #expect(sheet.rows.count == 2444)
        #expect(sheet.rows[0].map(\.text) == ["Entry", "Gene Names", "Protein names", "Length", "Sequence",
                                             "Gene Ontology (cellular component)", "location"])
        #expect(sheet.rows[1][0] == .string("Rv0001"))
        let lengths = sheet.rows.dropFirst().map { row in row[3].text }
        #expect(lengths.allSatisfy { Int($0) != nil })
        // Length agrees with the sequence on every row.
        #expect(sheet.rows.dropFirst().allSatisfy { row in Int(row[3].text) == row[4].text.count })
        let labels = Dictionary(grouping: sheet.rows.dropFirst(), by: { $0[6].text }).mapValues(\.count)
        #expect(labels == ["cytoplasm": 379, "membrane": 1128, "secreted": 147, "": 789])
    }

    @Test(.enabled(if: Python.isAvailable("openpyxl"), "needs Python's openpyxl (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func theEmbeddedWorkbookReadsAsOpenpyxlReadsIt() throws {
        let url = Paths.dataFolder.appendingPathComponent("mtb_with_localization.xlsx")
        let sheet = try XLSXReader.read(at: url)
        let json = try Python.output(script: """
            import sys, json, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1], read_only=True).worksheets[0]
            rows = list(ws.iter_rows(values_only=True))
            print(json.dumps([[("" if v is None else str(v)) for v in rows[i]] for i in (0, 1, 1000, len(rows) - 1)]))
            """, arguments: [url.path])
        let expected = try JSONDecoder().decode([[String]].self, from: Data(json.utf8))
        #expect([0, 1, 1000, 2443].map { sheet.rows[$0].map(\.text) } == expected)
    }

    @Test func aFourThousandRowSheetRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("big.xlsx")
        var rows: [[XLSXCell]] = [[.string("Entry"), .string("Sequence"), .string("Length")]]
        for index in 0..<4000 {
            rows.append([.string("Rv\(index)"), .string(String(repeating: "ACDEFGHIKLMNPQRSTVWY", count: 15)), .number(Double(index))])
        }
        try XLSXWriter.write(sheetName: "Big", rows: rows, to: url)
        let sheet = try XLSXReader.read(at: url)
        #expect(sheet.rows == rows)
        // Its speed is measured by `belay bench` (read xlsx + h5.gz), not asserted here.
    }
}
