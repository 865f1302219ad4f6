import Foundation

/// A parse error in a CSV file, with its position.
public struct CSVError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file's name as given to the parser.
    public var fileName: String
    /// 1-based physical line.
    public var line: Int
    /// 1-based character column within the line, when the error has one.
    public var column: Int?
    /// What is wrong.
    public var message: String

    public init(fileName: String, line: Int, column: Int? = nil, message: String) {
        self.fileName = fileName
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let column { return "\(fileName):\(line):\(column): \(message)" }
        return "\(fileName):\(line): \(message)"
    }
}

/// A CSV file read against its header line.
///
/// Tolerated: a UTF-8 byte-order mark, CRLF / LF / CR line ends, `,` `;` or tab as the delimiter (detected
/// from the header line, outside quotes), RFC 4180 quoted fields with embedded delimiters, doubled quotes
/// and line breaks, blank (or whitespace-only) lines anywhere, and no final line break.
///
/// Refused with a ``CSVError`` naming file, line and column: an empty file (no header), duplicate header
/// names (compared like ``columnIndex(_:)``), an unterminated quoted field, text after a closing quote,
/// and a row with more fields than the header.
///
/// A row with *fewer* fields than the header is kept as read (not padded): whether that is an error is the
/// caller's decision, and ``value(row:column:)`` returns `nil` for the missing fields.
public struct CSVTable: Sendable {
    /// The name used in error messages.
    public var fileName: String
    /// The header names, trimmed of surrounding spaces, byte-order mark stripped.
    public var header: [String]
    /// The data rows, fields unquoted and otherwise as written (not trimmed); never longer than `header`.
    public var rows: [[String]]
    /// The 1-based physical line on which each row starts (the header is on the first non-blank line).
    public var lineNumbers: [Int]
    /// The detected delimiter: `,`, `;` or tab.
    public var delimiter: Character

    public init(fileName: String, header: [String], rows: [[String]], lineNumbers: [Int], delimiter: Character) {
        self.fileName = fileName
        self.header = header
        self.rows = rows
        self.lineNumbers = lineNumbers
        self.delimiter = delimiter
    }

    /// The index of the header named `name`, compared case-insensitively with surrounding spaces ignored.
    /// - Complexity: O(*c*) in the number of columns.
    public func columnIndex(_ name: String) -> Int? {
        let key = Self.headerKey(name)
        return header.firstIndex { Self.headerKey($0) == key }
    }

    /// The field at `row`, `column`, or `nil` when the row is shorter than that (or out of range).
    public func value(row: Int, column: Int) -> String? {
        guard rows.indices.contains(row), rows[row].indices.contains(column) else { return nil }
        return rows[row][column]
    }

    /// Reads a CSV file: UTF-8 (with or without BOM), or UTF-16 with a BOM.
    ///
    /// Invalid UTF-8 is refused with the line and column of the first bad byte.
    public static func read(contentsOf url: URL) throws -> CSVTable {
        let fileName = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CSVError(fileName: fileName, line: 1, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(data: data, fileName: fileName)
    }

    /// Parses CSV held in memory as bytes (see ``read(contentsOf:)`` for the accepted encodings).
    public static func parse(data: Data, fileName: String) throws -> CSVTable {
        let bytes = [UInt8](data)
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            guard let text = String(data: data, encoding: .utf16) else {
                throw CSVError(fileName: fileName, line: 1, message: "the file starts with a UTF-16 byte-order mark but is not valid UTF-16")
            }
            return try parse(text, fileName: fileName)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return try parse(text, fileName: fileName)
        }
        let (line, column) = firstInvalidUTF8Position(bytes)
        throw CSVError(fileName: fileName, line: line, column: column,
                       message: "the file is not valid UTF-8 (save it as UTF-8 CSV)")
    }

    /// Parses CSV text (see the type's documentation for what is tolerated and refused).
    /// - Complexity: O(*n*) in the length of `text`.
    public static func parse(_ text: String, fileName: String) throws -> CSVTable {
        var parser = CSVParser(text: text, fileName: fileName)
        return try parser.parseTable()
    }

    static func headerKey(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func firstInvalidUTF8Position(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1, column = 1
        var previousWasCR = false
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if scalar == "\n" {
                    if !previousWasCR { line += 1 }
                    column = 1
                } else if scalar == "\r" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                previousWasCR = scalar == "\r"
            case .error:
                return (line, column)
            case .emptyInput:
                return (line, column)
            }
        }
    }
}

/// The byte-level CSV state machine behind ``CSVTable/parse(_:fileName:)``.
struct CSVParser {
    let bytes: [UInt8]
    let fileName: String
    var position = 0
    var line = 1
    var lineStart = 0
    var delimiter: UInt8 = UInt8(ascii: ",")

    init(text: String, fileName: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        self.fileName = fileName
    }

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// The character column of byte offset `offset` on the current line.
    func column(at offset: Int) -> Int {
        String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
    }

    func error(_ message: String, line: Int? = nil, at offset: Int? = nil) -> CSVError {
        CSVError(fileName: fileName, line: line ?? self.line, column: offset.map { column(at: $0) }, message: message)
    }

    mutating func parseTable() throws -> CSVTable {
        skipBlankLines()
        guard position < bytes.count else {
            throw CSVError(fileName: fileName, line: 1, message: "the file is empty: no header line")
        }
        delimiter = detectDelimiter()
        let headerLine = line
        let headerLineStart = lineStart
        var headerStarts: [Int] = []
        let rawHeader = try parseRecord(fieldStarts: &headerStarts)
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let key = CSVTable.headerKey(name)
            if let previous = seen[key] {
                let shown = name.isEmpty ? "(empty)" : "\"\(name)\""
                let column = String(decoding: bytes[headerLineStart..<headerStarts[index]], as: UTF8.self).count + 1
                throw CSVError(fileName: fileName, line: headerLine, column: column,
                               message: "duplicate header name \(shown) in columns \(previous + 1) and \(index + 1)")
            }
            seen[key] = index
        }
        var rows: [[String]] = []
        var lineNumbers: [Int] = []
        while true {
            skipBlankLines()
            guard position < bytes.count else { break }
            let rowLine = line
            let rowLineStart = lineStart
            var fieldStarts: [Int] = []
            let record = try parseRecord(fieldStarts: &fieldStarts)
            if record.count > header.count {
                let offset = fieldStarts[header.count]
                let column = String(decoding: bytes[rowLineStart..<offset], as: UTF8.self).count + 1
                throw CSVError(fileName: fileName, line: rowLine, column: column,
                               message: "row has \(record.count) fields but the header has \(header.count)")
            }
            rows.append(record)
            lineNumbers.append(rowLine)
        }
        return CSVTable(fileName: fileName, header: header, rows: rows, lineNumbers: lineNumbers,
                        delimiter: Character(Unicode.Scalar(delimiter)))
    }

    /// Skips lines that are empty or hold only spaces and tabs.
    mutating func skipBlankLines() {
        while position < bytes.count {
            var probe = position
            while probe < bytes.count && (bytes[probe] == Self.space || bytes[probe] == Self.tab) { probe += 1 }
            if probe == bytes.count { position = probe; return }
            guard bytes[probe] == Self.cr || bytes[probe] == Self.lf else { return }
            position = probe
            consumeLineEnd()
        }
    }

    /// Consumes one CR, LF or CRLF at `position` and starts a new line.
    mutating func consumeLineEnd() {
        if bytes[position] == Self.cr && position + 1 < bytes.count && bytes[position + 1] == Self.lf {
            position += 2
        } else {
            position += 1
        }
        line += 1
        lineStart = position
    }

    /// Counts `,` `;` and tab on the current line outside quotes; the most frequent wins (ties: `,` `;` tab).
    func detectDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, Self.tab: 0]
        var inQuotes = false
        var probe = position
        while probe < bytes.count {
            let byte = bytes[probe]
            if byte == Self.quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == Self.cr || byte == Self.lf { break }
                if counts[byte] != nil { counts[byte, default: 0] += 1 }
            }
            probe += 1
        }
        var best = UInt8(ascii: ",")
        for candidate in [UInt8(ascii: ","), UInt8(ascii: ";"), Self.tab] where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }

    mutating func parseRecord() throws -> [String] {
        var starts: [Int] = []
        return try parseRecord(fieldStarts: &starts)
    }

    /// Parses fields up to and including the end of the record's (last physical) line.
    mutating func parseRecord(fieldStarts: inout [Int]) throws -> [String] {
        var fields: [String] = []
        while true {
            fieldStarts.append(position)
            let field = try parseField()
            fields.append(field)
            if position >= bytes.count { return fields }
            let byte = bytes[position]
            if byte == delimiter {
                position += 1
                continue
            }
            // A line end.
            consumeLineEnd()
            return fields
        }
    }

    /// Parses one field, leaving `position` on the delimiter, the line end or the end of input.
    mutating func parseField() throws -> String {
        guard position < bytes.count, bytes[position] == Self.quote else {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == delimiter || byte == Self.cr || byte == Self.lf { break }
                position += 1
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
        let openLine = line
        let openColumn = column(at: position)
        position += 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw CSVError(fileName: fileName, line: openLine, column: openColumn,
                               message: "unterminated quoted field (the quote opened here is never closed)")
            }
            let byte = bytes[position]
            if byte == Self.quote {
                if position + 1 < bytes.count && bytes[position + 1] == Self.quote {
                    value.append(Self.quote)
                    position += 2
                    continue
                }
                position += 1
                break
            }
            if byte == Self.cr || byte == Self.lf {
                // A line break inside quotes: keep it, count the physical line.
                if byte == Self.cr && position + 1 < bytes.count && bytes[position + 1] == Self.lf {
                    value.append(Self.cr)
                    value.append(Self.lf)
                    position += 2
                } else {
                    value.append(byte)
                    position += 1
                }
                line += 1
                lineStart = position
                continue
            }
            value.append(byte)
            position += 1
        }
        // Only spaces may follow the closing quote before the delimiter or line end.
        while position < bytes.count && (bytes[position] == Self.space || (bytes[position] == Self.tab && delimiter != Self.tab)) {
            position += 1
        }
        if position < bytes.count {
            let byte = bytes[position]
            if byte != delimiter && byte != Self.cr && byte != Self.lf {
                throw error("unexpected text after a closing quote (a quote inside a quoted field must be doubled: \"\")",
                            at: position)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }
}

/// Renders CSV text.
public enum CSVWriter {
    /// Renders `header` and `rows` with `,`, quoting (RFC 4180) fields that hold a comma, a quote, a line
    /// break, a semicolon or tab (so that delimiter detection on reading stays unambiguous) or surrounding
    /// spaces; every line, the last included, ends in `"\n"`.
    /// - Complexity: O(*n*) in the total field length.
    public static func render(header: [String], rows: [[String]]) -> String {
        var output = ""
        appendLine(header, to: &output)
        for row in rows { appendLine(row, to: &output) }
        return output
    }

    private static func appendLine(_ fields: [String], to output: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(",") }
            output.append(quoted(field))
        }
        output.append("\n")
    }

    static func quoted(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t")
        } || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

// MARK: - Columns a contract asks for

extension CSVTable {
    /// The index of the first of `names` the header has (``columnIndex(_:)``), for a column that goes by several
    /// names (`protein_id`, `id`, `entry`).
    public func columnIndex(anyOf names: [String]) -> Int? {
        for name in names { if let index = columnIndex(name) { return index } }
        return nil
    }

    /// The indices of `columns`, each given by the names it may go by, the documented one first.
    /// - Throws: ``MissingColumn`` for the first column the header lacks, naming its documented name.
    public func columnIndices(_ columns: [[String]]) throws(MissingColumn) -> [Int] {
        try columns.map { names throws(MissingColumn) in
            guard let index = columnIndex(anyOf: names) else {
                throw MissingColumn(names: Array(names.prefix(1)), header: header)
            }
            return index
        }
    }
}

/// A column a file must have and lacks, for a report: "has no column `protein_id` (its header is: `id`, `x`)".
public struct MissingColumn: Error, Sendable, Equatable, CustomStringConvertible {
    /// The names the column was looked for by (as the message lists them).
    public var names: [String]
    /// The header the file has.
    public var header: [String]

    /// A missing column known by `names`, in a file with `header`.
    public init(names: [String], header: [String]) {
        self.names = names
        self.header = header
    }

    /// What is wrong, to follow the file's name.
    public var description: String {
        "has no column " + names.map { "`\($0)`" }.joined(separator: " or ")
            + " (its header is: \(header.map { "`\($0)`" }.joined(separator: ", ")))"
    }

    /// How to fix it.
    public static let fix = "Name the columns exactly as the exercise's file table does; order and case do not matter."
}
