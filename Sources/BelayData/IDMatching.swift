/// How a sheet id was matched to an id of the embedding file, from strictest to loosest.
public enum IDMatchRule: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// The same string.
    case exact
    /// The same ignoring case (`Rv0001` and `RV0001`).
    case caseInsensitive
    /// The same without a version suffix (`P9WKJ3.1`, `Rv0001.2`), ignoring case.
    case versionSuffix
    /// The same accession inside a UniProt FASTA-style header (`sp|P9WKJ3|NAME_MYCTU`, `tr|…|…`, a leading `>`,
    /// a description after whitespace), ignoring case and version.
    case fastaHeader

    public var description: String {
        switch self {
        case .exact: "exactly"
        case .caseInsensitive: "ignoring case"
        case .versionSuffix: "without a version suffix"
        case .fastaHeader: "from a FASTA-style header"
        }
    }

    /// The key two ids must share to match under this rule (the same normalization on both sides).
    public func key(_ id: String) -> String {
        switch self {
        case .exact: return id
        case .caseInsensitive: return id.lowercased()
        case .versionSuffix: return Self.withoutVersion(id.lowercased())
        case .fastaHeader: return Self.withoutVersion(Self.accession(id).lowercased())
        }
    }

    /// `id` without a trailing `.<digits>` (a sequence version), when something remains before it.
    static func withoutVersion(_ id: String) -> String {
        guard let dot = id.lastIndex(of: "."), dot != id.startIndex else { return id }
        let tail = id[id.index(after: dot)...]
        guard !tail.isEmpty, tail.allSatisfy(\.isASCII), tail.allSatisfy(\.isNumber) else { return id }
        return String(id[..<dot])
    }

    /// The accession of a FASTA-style header: `>sp|P9WKJ3|NAME_MYCTU desc` → `P9WKJ3`; `>Rv0001 desc` → `Rv0001`.
    static func accession(_ id: String) -> String {
        var text = Substring(id).drop { $0.isWhitespace }
        if text.first == ">" { text = text.dropFirst().drop { $0.isWhitespace } }
        if let space = text.firstIndex(where: \.isWhitespace) { text = text[..<space] }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        if parts.count >= 2, ["sp", "tr"].contains(parts[0].lowercased()), !parts[1].isEmpty {
            return String(parts[1])
        }
        return String(text)
    }
}

/// Which id of the embedding file belongs to which sheet id.
///
/// Rules are tried from strictest to loosest (``IDMatchRule``); the same normalization applies to both sides.
/// An exact match always wins. Otherwise a sheet id that two file ids match (by any rules) is an error naming
/// both, and so is a file id that two sheet ids match inexactly: guessing would grade against the wrong vector.
public struct IDMatching: Sendable, Equatable {
    /// The file id matched to each sheet id that has one.
    public var fileIDBySheetID: [String: String]
    /// How many sheet ids each rule matched (rules that matched none are absent).
    public var counts: [IDMatchRule: Int]

    public init(fileIDBySheetID: [String: String] = [:], counts: [IDMatchRule: Int] = [:]) {
        self.fileIDBySheetID = fileIDBySheetID
        self.counts = counts
    }

    /// The counts in words, strictest rule first: `2440 exactly, 3 ignoring case`, or `none`.
    public var countsDescription: String {
        let parts = IDMatchRule.allCases.compactMap { rule in counts[rule].map { "\($0) \(rule)" } }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// Matches `sheetIDs` (duplicates allowed, matched once) against `fileIDs` (unique).
    ///
    /// - Throws: ``IDMatchingError`` when one sheet id matches two file ids inexactly, or one file id matches two
    ///   sheet ids neither of which is exact.
    /// - Complexity: O((*s* + *f*) × *r*) string normalizations for *s* sheet ids, *f* file ids and *r* rules.
    public static func match(sheetIDs: [String], fileIDs: [String]) throws -> IDMatching {
        let fileSet = Set(fileIDs)
        var indexes: [IDMatchRule: [String: [String]]] = [:]
        for rule in IDMatchRule.allCases where rule != .exact {
            var index: [String: [String]] = [:]
            for id in fileIDs { index[rule.key(id), default: []].append(id) }
            indexes[rule] = index
        }
        var result = IDMatching()
        var ruleBySheetID: [String: IDMatchRule] = [:]
        var seen = Set<String>()
        let unique = sheetIDs.filter { seen.insert($0).inserted }
        for sheetID in unique {
            if fileSet.contains(sheetID) {
                result.fileIDBySheetID[sheetID] = sheetID
                ruleBySheetID[sheetID] = .exact
                continue
            }
            var candidates: [String] = []
            var firstRule: IDMatchRule?
            for rule in IDMatchRule.allCases where rule != .exact {
                for id in indexes[rule]?[rule.key(sheetID)] ?? [] where !candidates.contains(id) {
                    candidates.append(id)
                    if firstRule == nil { firstRule = rule }
                }
            }
            guard let firstRule, let only = candidates.first else { continue }
            guard candidates.count == 1 else {
                throw IDMatchingError(
                    sheetIDs: [sheetID], fileIDs: candidates,
                    message: "sheet id \"\(sheetID)\" matches \(candidates.count) embedding ids, "
                        + candidates.prefix(4).map { "\"\($0)\"" }.joined(separator: " and ")
                        + "; none is exact, so Belay cannot tell which vector is this protein's. Rename or remove the extra one(s)")
            }
            result.fileIDBySheetID[sheetID] = only
            ruleBySheetID[sheetID] = firstRule
        }
        // One file id claimed by two sheet ids: an exact claim keeps it, otherwise nobody can tell.
        var claims: [String: [String]] = [:]
        var claimed: [String] = []
        for sheetID in unique {
            guard let fileID = result.fileIDBySheetID[sheetID] else { continue }
            if claims[fileID] == nil { claimed.append(fileID) }
            claims[fileID, default: []].append(sheetID)
        }
        for fileID in claimed {
            guard let sheet = claims[fileID], sheet.count > 1 else { continue }
            if let exact = sheet.first(where: { ruleBySheetID[$0] == .exact }) {
                for other in sheet where other != exact {
                    result.fileIDBySheetID[other] = nil
                    ruleBySheetID[other] = nil
                }
            } else {
                throw IDMatchingError(
                    sheetIDs: sheet, fileIDs: [fileID],
                    message: "sheet ids " + sheet.prefix(4).map { "\"\($0)\"" }.joined(separator: " and ")
                        + " all match embedding id \"\(fileID)\" and none exactly; make the sheet's ids unique")
            }
        }
        for rule in ruleBySheetID.values { result.counts[rule, default: 0] += 1 }
        return result
    }
}

/// Sheet and embedding ids that cannot be paired without guessing.
public struct IDMatchingError: Error, CustomStringConvertible, Sendable {
    /// The sheet ids involved.
    public var sheetIDs: [String]
    /// The embedding file's ids involved.
    public var fileIDs: [String]
    /// What is wrong and how to fix it.
    public var message: String
    public var description: String { message }
}
