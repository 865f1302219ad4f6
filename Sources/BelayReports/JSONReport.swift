public import BelayGrading
import Foundation

/// The full ``GradeReport`` as JSON: sorted keys, pretty-printed, stable bytes for equal reports.
public enum JSONReport {
    /// Renders `report` (durations zeroed when `reproducible`).
    /// - Complexity: O(report size).
    public static func render(_ report: GradeReport, reproducible: Bool = false) -> String {
        encode(reproducible ? report.withoutDurations() : report)
    }

    /// Reads a report written by ``render(_:reproducible:)``.
    public static func decode(_ data: Data) throws -> GradeReport {
        let decoder = JSONDecoder()
        // The strings `encode` writes for non-finite numbers (a figure may hold a NaN a student reported).
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(GradeReport.self, from: data)
    }

    /// Encodes any value with the report conventions (sorted keys, pretty, no escaped slashes, trailing newline).
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            // Unreachable for our models (no non-string keys); still never trap in a report writer.
            let message = String(describing: error).replacingOccurrences(of: "\"", with: "'")
            return "{\"error\": \"could not encode the report: \(message)\"}\n"
        }
    }
}
