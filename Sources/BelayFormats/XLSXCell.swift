/// One worksheet cell's value.
public enum XLSXCell: Sendable, Equatable, Hashable {
    case empty
    /// Text: shared, inline or formula-result strings, error values such as `#DIV/0!`, and ISO dates (`t="d"`).
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The cell as text: numbers that are integral print without a fraction (`3`, not `3.0`), other numbers
    /// in Swift's shortest round-trip form, booleans as `TRUE`/`FALSE` (as Excel shows them), empty as `""`.
    public var text: String {
        switch self {
        case .empty: return ""
        case .string(let value): return value
        case .bool(let value): return value ? "TRUE" : "FALSE"
        case .number(let value):
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
                return String(Int64(value))
            }
            return "\(value)"
        }
    }

    /// Whether the cell holds nothing (`.empty`); an empty string is not empty.
    public var isEmpty: Bool { self == .empty }
}

/// One worksheet, densely: `rows[r][c]` is spreadsheet row `r + 1`, column `c` (A = 0).
///
/// Gaps are filled with empty rows and cells and every row has the same length; trailing rows and columns
/// that hold no value at all (only styles, say) are dropped.
public struct XLSXSheet: Sendable, Equatable {
    public var name: String
    public var rows: [[XLSXCell]]

    public init(name: String, rows: [[XLSXCell]]) {
        self.name = name
        self.rows = rows
    }

    /// The number of columns (the length of every row).
    public var columnCount: Int { rows.first?.count ?? 0 }
}

/// Column letters for a zero-based column index: 0 -> "A", 26 -> "AA", 16383 -> "XFD".
func xlsxColumnName(_ index: Int) -> String {
    var index = index
    var letters: [Character] = []
    repeat {
        letters.append(Character(Unicode.Scalar(UInt8(65 + index % 26))))
        index = index / 26 - 1
    } while index >= 0
    return String(letters.reversed())
}

/// Parses an A1-style reference into zero-based (row, column); `nil` when malformed or out of Excel's range.
/// A reference with letters only (no row) returns row `nil`.
func xlsxParseReference(_ reference: String) -> (row: Int?, column: Int)? {
    var column = 0
    var letters = 0
    var row = 0
    var digits = 0
    for byte in reference.utf8 {
        switch byte {
        case UInt8(ascii: "$"):
            continue
        case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
            column = column * 26 + Int(byte - 64)
            letters += 1
        case UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
            column = column * 26 + Int(byte - 96)
            letters += 1
        case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
            row = row * 10 + Int(byte - 48)
            digits += 1
        default:
            return nil
        }
        if letters > 3 || digits > 7 { return nil }
    }
    guard letters > 0, column <= 16384 else { return nil }
    if digits == 0 { return (nil, column - 1) }
    guard row >= 1, row <= 1_048_576 else { return nil }
    return (row - 1, column - 1)
}
