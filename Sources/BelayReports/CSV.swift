import Foundation

/// RFC 4180 CSV writing with a guard against spreadsheet formula injection.
enum CSV {
    /// Quotes a cell when needed. Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
    /// tab, CR at the start) get a leading `'` (OWASP's advice); numbers are written as they are.
    static func cell(_ value: String, text: Bool = true) -> String {
        var value = ReportText.terminalSafe(value).replacingOccurrences(of: "\n", with: " ")
        if text, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func row(_ cells: [String]) -> String { cells.joined(separator: ",") + "\r\n" }
}
