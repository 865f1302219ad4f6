/// One FASTA record.
public struct FASTARecord: Sendable, Equatable, Hashable {
    /// The first word after `>`; for UniProt headers (`sp|P12345|NAME_HUMAN`, `tr|...`) the accession.
    public var id: String
    /// The rest of the header line after the first word, trimmed (may be empty).
    public var description: String
    /// The sequence, lines joined, all whitespace removed; letters kept as written.
    public var sequence: String

    public init(id: String, description: String = "", sequence: String) {
        self.id = id
        self.description = description
        self.sequence = sequence
    }
}

/// A FASTA parse error with its position.
public struct FASTAError: Error, CustomStringConvertible, Sendable, Equatable {
    public var fileName: String
    /// 1-based line.
    public var line: Int
    public var message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    public var description: String { "\(fileName):\(line): \(message)" }
}

/// Reads and writes FASTA text.
///
/// Tolerated: CRLF/LF/CR line ends, blank lines, `;` comment lines, a byte-order mark, records with an empty
/// sequence. Refused: sequence text before the first header, a header with no id.
public enum FASTA {
    /// Parses every record of `text`.
    /// - Complexity: O(*n*) in the length of `text`.
    public static func parse(_ text: String, fileName: String) throws -> [FASTARecord] {
        var records: [FASTARecord] = []
        var current: FASTARecord?
        var sequence: [UInt8] = []
        var lineNumber = 0
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let line = rawLine
            if line.first == ">" {
                if var record = current {
                    record.sequence = String(decoding: sequence, as: UTF8.self)
                    records.append(record)
                }
                sequence.removeAll(keepingCapacity: true)
                let header = line.dropFirst().trimmingSpaces()
                guard !header.isEmpty else {
                    throw FASTAError(fileName: fileName, line: lineNumber, message: "a header line (\">\") without an id")
                }
                let word = header.prefix { !$0.isWhitespace }
                let rest = header.dropFirst(word.count).trimmingSpaces()
                current = FASTARecord(id: accession(String(word)), description: String(rest), sequence: "")
            } else if line.first == ";" {
                continue
            } else {
                let letters = line.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != 0x0B && $0 != 0x0C }
                if letters.isEmpty { continue }
                guard current != nil else {
                    throw FASTAError(fileName: fileName, line: lineNumber,
                                     message: "sequence text before the first header line (FASTA records start with \">\")")
                }
                sequence.append(contentsOf: letters)
            }
        }
        if var record = current {
            record.sequence = String(decoding: sequence, as: UTF8.self)
            records.append(record)
        }
        return records
    }

    /// Renders records as FASTA, wrapping sequences at `lineWidth` characters (no wrapping when `lineWidth <= 0`).
    /// - Complexity: O(*n*) in the total length.
    public static func render(_ records: [FASTARecord], lineWidth: Int = 60) -> String {
        var output = ""
        for record in records {
            output += ">" + record.id
            if !record.description.isEmpty { output += " " + record.description }
            output += "\n"
            if lineWidth <= 0 {
                if !record.sequence.isEmpty { output += record.sequence + "\n" }
                continue
            }
            var rest = Substring(record.sequence)
            while !rest.isEmpty {
                output += rest.prefix(lineWidth) + "\n"
                rest = rest.dropFirst(lineWidth)
            }
        }
        return output
    }

    /// `sp|P12345|NAME_HUMAN` -> `P12345`; other words unchanged.
    static func accession(_ word: String) -> String {
        let parts = word.split(separator: "|", omittingEmptySubsequences: false)
        if parts.count >= 2, parts[0] == "sp" || parts[0] == "tr", !parts[1].isEmpty {
            return String(parts[1])
        }
        return word
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return self[first...last]
    }
}
