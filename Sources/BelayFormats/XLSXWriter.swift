import Foundation
import ZIPFoundation

/// Writes a minimal single-sheet `.xlsx` workbook.
///
/// Strings are written inline (`t="inlineStr"`), numbers as `<v>`, booleans as `t="b"`. The zip entries have
/// a fixed timestamp (1980-01-01) and a fixed order, so the same rows always give the same bytes.
/// The file opens in Excel, LibreOffice, openpyxl and pandas.
public enum XLSXWriter {
    /// Writes `rows` as the only sheet, `sheetName`, of a new workbook at `url` (replacing any file there).
    ///
    /// Throws for an invalid sheet name (empty, over 31 characters, or containing `[ ] : * ? / \`), a
    /// non-finite number, or text with characters XML cannot hold (control characters other than tab and
    /// line breaks).
    /// - Complexity: O(*n*) in the total cell count.
    public static func write(sheetName: String, rows: [[XLSXCell]], to url: URL) throws {
        let invalid: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        guard !sheetName.isEmpty, sheetName.count <= 31, !sheetName.contains(where: { invalid.contains($0) }),
              !sheetName.hasPrefix("'"), !sheetName.hasSuffix("'") else {
            throw XLSXError(path: url.path, part: "xl/workbook.xml",
                            message: "invalid sheet name \"\(sheetName)\" (1 to 31 characters, none of [ ] : * ? / \\, no leading or trailing ')")
        }
        let sheetXML = try worksheetXML(rows: rows, path: url.path)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("docProps/app.xml", appProperties),
            ("xl/workbook.xml", workbookXML(sheetName: try escaped(sheetName, path: url.path, cell: "sheet name"))),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", sheetXML),
        ]
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            let archive = try Archive(url: temporary, accessMode: .create)
            let date = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01T00:00:00Z, the zip epoch
            for (path, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                     permissions: 0o644, compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw XLSXError(path: url.path, message: "cannot write the workbook: \(error)")
        }
        do {
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw XLSXError(path: url.path, message: "cannot move the workbook into place: \(error.localizedDescription)")
        }
    }

    static func worksheetXML(rows: [[XLSXCell]], path: String) throws -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            """
        for (rowIndex, row) in rows.enumerated() {
            let rowNumber = rowIndex + 1
            xml += "<row r=\"\(rowNumber)\">"
            for (columnIndex, cell) in row.enumerated() {
                let reference = xlsxColumnName(columnIndex) + String(rowNumber)
                switch cell {
                case .empty:
                    continue
                case .string(let text):
                    xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                        + (try escaped(text, path: path, cell: reference)) + "</t></is></c>"
                case .number(let value):
                    guard value.isFinite else {
                        throw XLSXError(path: path, part: "xl/worksheets/sheet1.xml",
                                        message: "cell \(reference): \(value) cannot be stored in a workbook")
                    }
                    xml += "<c r=\"\(reference)\"><v>\(XLSXCell.number(value).text)</v></c>"
                case .bool(let value):
                    xml += "<c r=\"\(reference)\" t=\"b\"><v>\(value ? 1 : 0)</v></c>"
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData></worksheet>"
        return xml
    }

    /// XML-escapes `text`, refusing characters XML 1.0 cannot represent.
    static func escaped(_ text: String, path: String, cell: String) throws -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                guard value >= 0x20, value != 0xFFFE, value != 0xFFFF else {
                    throw XLSXError(path: path, part: "xl/worksheets/sheet1.xml",
                                    message: "cell \(cell): control character U+\(String(value, radix: 16, uppercase: true)) cannot be stored in XML")
                }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func workbookXML(sheetName: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(sheetName)" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        </Types>
        """

    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
        </Relationships>
        """

    static let appProperties = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Belay</Application></Properties>
        """

    static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
