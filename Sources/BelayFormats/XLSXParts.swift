// Parsers for the XML parts of a workbook. Stdlib only (no Foundation): they run on XMLPullParser.

/// A relationship from a `.rels` part.
struct XLSXRelationship: Equatable {
    var id: String
    var type: String
    var target: String
    var isExternal: Bool
}

/// A sheet entry of `workbook.xml`.
struct XLSXSheetEntry: Equatable {
    var name: String
    var relationshipID: String
}

enum XLSXParts {
    /// The relationships of a `.rels` part.
    static func relationships(_ bytes: [UInt8]) throws -> [XLSXRelationship] {
        let parser = try XMLPullParser(bytes: bytes)
        var result: [XLSXRelationship] = []
        while let event = try parser.next() {
            if case .start("Relationship") = event {
                result.append(XLSXRelationship(
                    id: parser.attribute("Id") ?? "", type: parser.attribute("Type") ?? "",
                    target: parser.attribute("Target") ?? "",
                    isExternal: parser.attribute("TargetMode")?.lowercased() == "external"))
            }
        }
        return result
    }

    /// The sheets of `workbook.xml`, in workbook order.
    static func sheets(_ bytes: [UInt8]) throws -> [XLSXSheetEntry] {
        let parser = try XMLPullParser(bytes: bytes)
        var result: [XLSXSheetEntry] = []
        var inSheets = false
        while let event = try parser.next() {
            switch event {
            case .start("sheets"): inSheets = true
            case .end("sheets"): inSheets = false
            case .start("sheet") where inSheets:
                guard let name = parser.attribute("name") else {
                    throw XMLParseError(line: parser.line, message: "a <sheet> element has no name attribute")
                }
                guard let id = parser.attribute("id") else {
                    throw XMLParseError(line: parser.line, message: "sheet \"\(name)\" has no r:id attribute")
                }
                result.append(XLSXSheetEntry(name: name, relationshipID: id))
            default: break
            }
        }
        return result
    }

    /// The shared-string table: each `<si>`'s text, rich-text runs concatenated, phonetic runs (`<rPh>`) skipped.
    static func sharedStrings(_ bytes: [UInt8]) throws -> [String] {
        let parser = try XMLPullParser(bytes: bytes)
        var result: [String] = []
        var current = ""
        var inItem = false
        var inText = false
        var phoneticDepth = 0
        while let event = try parser.next() {
            switch event {
            case .start("si"):
                inItem = true
                current = ""
            case .end("si"):
                result.append(current)
                inItem = false
            case .start("rPh"): phoneticDepth += 1
            case .end("rPh"): phoneticDepth -= 1
            case .start("t") where inItem && phoneticDepth == 0: inText = true
            case .end("t"): inText = false
            case .text(let text) where inText: current += text
            default: break
            }
        }
        return result
    }

    /// Parses a worksheet part into dense rows (see ``XLSXSheet``).
    ///
    /// - Parameter maxCells: The largest dense size (rows × columns) accepted.
    /// - Complexity: O(*n*) in the part's size plus O(*rows* × *columns*) for the dense result.
    static func worksheet(_ bytes: [UInt8], sharedStrings: [String], maxCells: Int = 20_000_000) throws -> [[XLSXCell]] {
        let parser = try XMLPullParser(bytes: bytes)
        var cells: [(row: Int, column: Int, cell: XLSXCell)] = []
        var rowCount = 0
        var columnCount = 0

        var inSheetData = false
        var currentRow = -1
        var nextColumn = 0
        // The cell being read.
        var cellRow = 0, cellColumn = 0
        var cellType = "n"
        var cellReference = ""
        var valueText = ""
        var inlineText = ""
        var hasValue = false
        var hasInline = false
        enum Capture { case none, value, inline }
        var capture = Capture.none
        var inInline = false
        var phoneticDepth = 0

        func failure(_ message: String) -> XMLParseError { XMLParseError(line: parser.line, message: message) }

        while let event = try parser.next() {
            switch event {
            case .start("sheetData"): inSheetData = true
            case .end("sheetData"): inSheetData = false
            case .start("row") where inSheetData:
                if let reference = parser.attribute("r") {
                    guard let number = Int(reference), number >= 1, number <= 1_048_576 else {
                        throw failure("row has an invalid number r=\"\(reference)\"")
                    }
                    currentRow = number - 1
                } else {
                    currentRow += 1
                }
                nextColumn = 0
            case .start("c") where inSheetData:
                if currentRow < 0 { currentRow = 0 }
                cellType = parser.attribute("t") ?? "n"
                if let reference = parser.attribute("r") {
                    guard let parsed = xlsxParseReference(reference) else {
                        throw failure("cell has an invalid reference r=\"\(reference)\"")
                    }
                    cellReference = reference
                    cellColumn = parsed.column
                    cellRow = parsed.row ?? currentRow
                } else {
                    cellColumn = nextColumn
                    cellRow = currentRow
                    cellReference = xlsxColumnName(cellColumn) + String(cellRow + 1)
                }
                guard cellColumn < 16384 else { throw failure("cell lies beyond column XFD") }
                valueText = ""
                inlineText = ""
                hasValue = false
                hasInline = false
            case .start("v") where inSheetData:
                capture = .value
                hasValue = true
            case .end("v"):
                capture = .none
            case .start("is") where inSheetData:
                inInline = true
                hasInline = true
            case .end("is"):
                inInline = false
            case .start("rPh") where inInline: phoneticDepth += 1
            case .end("rPh") where inInline: phoneticDepth -= 1
            case .start("t") where inInline && phoneticDepth == 0:
                capture = .inline
            case .end("t"):
                if capture == .inline { capture = .none }
            case .text(let text):
                switch capture {
                case .value: valueText += text
                case .inline: inlineText += text
                case .none: break
                }
            case .end("c") where inSheetData:
                let cell = try makeCell(type: cellType, value: hasValue ? valueText : nil,
                                        inline: hasInline ? inlineText : nil,
                                        sharedStrings: sharedStrings, reference: cellReference, line: parser.line)
                if cell != .empty {
                    cells.append((cellRow, cellColumn, cell))
                    rowCount = max(rowCount, cellRow + 1)
                    columnCount = max(columnCount, cellColumn + 1)
                }
                nextColumn = cellColumn + 1
            default:
                break
            }
        }
        guard rowCount.multipliedReportingOverflow(by: columnCount).partialValue <= maxCells else {
            throw XMLParseError(line: 0, message: "the sheet spans \(rowCount) rows × \(columnCount) columns, more than \(maxCells) cells")
        }
        var rows = [[XLSXCell]](repeating: [XLSXCell](repeating: .empty, count: columnCount), count: rowCount)
        for entry in cells { rows[entry.row][entry.column] = entry.cell }
        return rows
    }

    private static func makeCell(type: String, value: String?, inline: String?, sharedStrings: [String],
                                 reference: String, line: Int) throws -> XLSXCell {
        func failure(_ message: String) -> XMLParseError { XMLParseError(line: line, message: "cell \(reference): \(message)") }
        switch type {
        case "s":
            guard let value else { return .empty }
            guard let index = Int(value.trimmingSpaces()), sharedStrings.indices.contains(index) else {
                throw failure("shared string index \"\(value)\" is not in the table of \(sharedStrings.count) strings")
            }
            return .string(sharedStrings[index])
        case "inlineStr":
            if let inline { return .string(inline) }
            return value.map { .string($0) } ?? .empty
        case "b":
            guard let value else { return .empty }
            switch value.trimmingSpaces() {
            case "1", "true", "TRUE": return .bool(true)
            case "0", "false", "FALSE": return .bool(false)
            default: throw failure("boolean value \"\(value)\" is neither 0 nor 1")
            }
        case "n", "":
            guard let value else { return .empty }
            let trimmed = value.trimmingSpaces()
            if trimmed.isEmpty { return .empty }
            guard let number = Double(trimmed) else { throw failure("numeric value \"\(value)\" is not a number") }
            return .number(number)
        default:  // "str" (formula result), "e" (error such as #N/A), "d" (ISO 8601 date), anything else
            guard let value else { return inline.map { .string($0) } ?? .empty }
            return .string(value)
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (stdlib only).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
