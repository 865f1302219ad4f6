// Exercise 0 of Route 019: turning free-text localization annotations into one of a few classes.
//
// Two sources are supported, both as UniProt exports them:
// - "Subcellular location [CC]": `SUBCELLULAR LOCATION: Cell membrane {ECO:0000255}; Multi-pass membrane
//   protein {ECO:0000255}. Note=... .`
// - "Gene Ontology (cellular component)": `cytoplasm [GO:0005737]; plasma membrane [GO:0005886]`.
// Each annotation is cut into terms; every term that a mapping rule recognises votes for its class; a protein
// whose votes name exactly one class gets it, several classes make it ambiguous, none make it missing.
// The mapping is data (`LocationMapping`), loadable from a small tab-separated table, so an instructor can
// change the classes without touching code.

/// How a `LocationMapping.Rule` compares its term with an annotation term (always case-insensitively).
public enum LocationMatch: String, Sendable, Equatable, CaseIterable {
    /// The whole annotation term equals the rule term.
    case exact
    /// The annotation term starts with the rule term.
    case prefix
    /// The rule term occurs anywhere in the annotation term.
    case contains
}

/// A data-driven mapping from localization terms to classes.
public struct LocationMapping: Sendable, Equatable {
    /// One pattern: annotation terms matching `term` (per `match`) vote for `label`.
    public struct Rule: Sendable, Equatable {
        /// The pattern, compared case-insensitively.
        public var term: String
        /// The class this term votes for.
        public var label: String
        /// How `term` is compared with an annotation term.
        public var match: LocationMatch

        /// Creates a rule.
        public init(term: String, label: String, match: LocationMatch = .exact) {
            self.term = term
            self.label = label
            self.match = match
        }

        /// Whether an annotation term (already trimmed) matches this rule.
        public func matches(_ annotationTerm: String) -> Bool {
            let a = annotationTerm.lowercased(), t = term.lowercased()
            switch match {
            case .exact: return a == t
            case .prefix: return a.hasPrefix(t)
            case .contains: return t.isEmpty || a.contains(t)
            }
        }
    }

    /// The output classes, in the order reports list them.
    public var classes: [String]
    /// The rules; an annotation term votes for the labels of all rules it matches.
    public var rules: [Rule]

    /// Creates a mapping; `classes` defaults to the rules' labels in first-seen order.
    public init(classes: [String]? = nil, rules: [Rule]) {
        self.rules = rules
        if let classes {
            self.classes = classes
        } else {
            var seen: [String] = []
            for r in rules where !seen.contains(r.label) { seen.append(r.label) }
            self.classes = seen
        }
    }

    /// Parses a mapping table: one rule per line, `term<TAB>label[<TAB>match]`, `match` one of
    /// `exact` (the default), `prefix`, `contains`. Blank lines and lines starting with `#` are skipped.
    /// Classes are the labels in first-seen order.
    ///
    /// - Throws: `LocationMappingError` naming the line for a line without a label or with an unknown match.
    /// - Complexity: O(table length).
    public init(table: String) throws(LocationMappingError) {
        var rules: [Rule] = []
        var lineNumber = 0
        for rawLine in table.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = String(rawLine)
            let trimmed = line.trimmedWhitespace
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                String($0).trimmedWhitespace
            }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw LocationMappingError(line: lineNumber, text: line,
                                           reason: "expected `term<TAB>label[<TAB>match]`")
            }
            var match = LocationMatch.exact
            if fields.count >= 3, !fields[2].isEmpty {
                guard let m = LocationMatch(rawValue: fields[2].lowercased()) else {
                    throw LocationMappingError(
                        line: lineNumber, text: line,
                        reason: "unknown match `\(fields[2])` (use exact, prefix or contains)")
                }
                match = m
            }
            guard fields.count <= 3 else {
                throw LocationMappingError(line: lineNumber, text: line, reason: "more than three fields")
            }
            rules.append(Rule(term: fields[0], label: fields[1], match: match))
        }
        self.init(rules: rules)
    }

    /// The mapping table of `route019`, in the format `init(table:)` reads.
    ///
    /// GO cellular-component names (lower case) reproduce the dataset's `location` column: extracellular
    /// region / space -> secreted; plasma membrane, membrane, cell outer membrane -> membrane; cytosol, cytoplasm
    /// -> cytoplasm. UniProt "Subcellular location" terms use the same classes: `Cytoplasm`, `Cytoplasm, cytosol`
    /// -> cytoplasm; `Cell membrane`, `Membrane`, `Cell inner membrane`, `Cell outer membrane` and the topology
    /// terms `Multi-pass`/`Single-pass`/`Peripheral membrane protein`, `Lipid-anchor` -> membrane; anything
    /// starting with `Secreted` (`Secreted`, `Secreted, cell wall`, ...) and `Extracellular space` -> secreted.
    /// Deliberately not voting: `Periplasm`, `Cell envelope`, `Cell wall`, `Cell surface`, `Cytoplasmic side`,
    /// `Nucleoid`, and every other term, because none of them says which of the three compartments the protein
    /// is in. All rules but `Secreted` are exact, so no UniProt rule can fire on a GO name or vice versa.
    public static let route019Table = """
        # term\tlabel\tmatch  (GO cellular-component names)
        cytoplasm\tcytoplasm\texact
        cytosol\tcytoplasm\texact
        plasma membrane\tmembrane\texact
        membrane\tmembrane\texact
        cell outer membrane\tmembrane\texact
        extracellular region\tsecreted\texact
        extracellular space\tsecreted\texact
        # UniProt "Subcellular location [CC]" terms
        Cytoplasm, cytosol\tcytoplasm\texact
        Cell membrane\tmembrane\texact
        Cell inner membrane\tmembrane\texact
        Multi-pass membrane protein\tmembrane\texact
        Single-pass membrane protein\tmembrane\texact
        Single-pass type I membrane protein\tmembrane\texact
        Single-pass type II membrane protein\tmembrane\texact
        Peripheral membrane protein\tmembrane\texact
        Lipid-anchor\tmembrane\texact
        Secreted\tsecreted\tprefix
        """

    /// Route 019's three classes, cytoplasm / membrane / secreted, from `route019Table`.
    public static let route019: LocationMapping = {
        // The table is a compile-time constant covered by tests; an empty mapping is the impossible fallback.
        (try? LocationMapping(table: route019Table)) ?? LocationMapping(rules: [])
    }()

    /// The distinct classes the rules matching `term` vote for, in `classes` order.
    public func labels(forTerm term: String) -> [String] {
        let hits = Set(rules.filter { $0.matches(term) }.map(\.label))
        return classes.filter { hits.contains($0) }
    }
}

/// A malformed line in a `LocationMapping` table.
public struct LocationMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// The offending line.
    public var text: String
    /// What is wrong with it.
    public var reason: String
    public var description: String { "location mapping, line \(line): \(reason): \"\(text)\"" }
}

/// What cleaning one annotation produced.
public enum LabelOutcome: Sendable, Equatable, Hashable {
    /// Exactly one class.
    case label(String)
    /// Terms voted for several classes (listed in the mapping's class order).
    case ambiguous([String])
    /// No term voted (blank annotation, or only non-voting terms).
    case missing

    /// The class, or nil when ambiguous or missing.
    public var label: String? {
        if case .label(let l) = self { return l }
        return nil
    }
}

/// Which annotation format a column holds.
public enum LocationSource: String, Sendable, Equatable, CaseIterable {
    /// UniProt "Subcellular location [CC]" text.
    case uniprotLocation
    /// UniProt "Gene Ontology (cellular component)" text, `name [GO:id]; ...`.
    case goTerms
}

/// Totals of a `LabelCleaner.cleanAll` run.
public struct CleaningReport: Sendable, Equatable {
    /// The mapping's classes.
    public var classes: [String]
    /// Proteins kept per class, in `classes` order.
    public var keptPerClass: [Int]
    /// Proteins whose terms voted for more than one class.
    public var ambiguous: Int
    /// Proteins whose terms voted for no class.
    public var missing: Int

    /// All proteins seen.
    public var total: Int { kept + ambiguous + missing }
    /// Proteins that got a label.
    public var kept: Int { keptPerClass.reduce(0, +) }
    /// Kept count of one class (0 for an unknown class).
    public func kept(_ label: String) -> Int {
        classes.firstIndex(of: label).map { keptPerClass[$0] } ?? 0
    }
}

/// Cleans localization annotations into classes with a `LocationMapping`.
public struct LabelCleaner: Sendable {
    /// The mapping in use.
    public var mapping: LocationMapping

    /// Creates a cleaner; the default is Route 019's three-class mapping.
    public init(mapping: LocationMapping = .route019) {
        self.mapping = mapping
    }

    /// Cleans UniProt "Subcellular location [CC]" text.
    ///
    /// Steps: drop evidence tags in braces (`{ECO:0000255|HAMAP-Rule:...}`); cut the text into blocks at each
    /// `SUBCELLULAR LOCATION:`; in each block drop an isoform prefix (`[Isoform 2]:`) and everything from
    /// `Note=` on (notes are free prose and run to the end of their block); split the rest on `;` and `.`;
    /// trim. The terms then vote through the mapping (see `outcome(votes:)`). Isoforms all vote for the one
    /// protein, so isoforms in different compartments make it ambiguous.
    /// - Complexity: O(text length x rules).
    public func clean(uniprotLocation text: String) -> LabelOutcome {
        outcome(forTerms: Self.uniprotTerms(text))
    }

    /// Cleans a GO cellular-component list, `name [GO:id]; name [GO:id]`: split on `;`, drop each `[GO:...]`
    /// tag, trim; each name votes through the mapping.
    /// - Complexity: O(text length x rules).
    public func clean(goTerms text: String) -> LabelOutcome {
        outcome(forTerms: Self.goTermNames(text))
    }

    /// Cleans one annotation of the given format.
    public func clean(_ text: String, source: LocationSource) -> LabelOutcome {
        switch source {
        case .uniprotLocation: return clean(uniprotLocation: text)
        case .goTerms: return clean(goTerms: text)
        }
    }

    /// Cleans a whole column: one label per input (nil where ambiguous or missing) and the totals.
    /// - Complexity: O(total text length x rules).
    public func cleanAll(_ texts: [String], source: LocationSource) -> (labels: [String?], report: CleaningReport) {
        var kept = [Int](repeating: 0, count: mapping.classes.count)
        var ambiguous = 0, missing = 0
        var labels: [String?] = []
        labels.reserveCapacity(texts.count)
        for text in texts {
            switch clean(text, source: source) {
            case .label(let l):
                if let i = mapping.classes.firstIndex(of: l) { kept[i] += 1 }
                labels.append(l)
            case .ambiguous:
                ambiguous += 1
                labels.append(nil)
            case .missing:
                missing += 1
                labels.append(nil)
            }
        }
        return (labels, CleaningReport(classes: mapping.classes, keptPerClass: kept,
                                       ambiguous: ambiguous, missing: missing))
    }

    /// The vote of a list of terms: one class -> `.label`, several -> `.ambiguous`, none -> `.missing`.
    public func outcome(forTerms terms: [String]) -> LabelOutcome {
        var hits = Set<String>()
        for term in terms { hits.formUnion(mapping.labels(forTerm: term)) }
        let ordered = mapping.classes.filter { hits.contains($0) }
            + hits.subtracting(mapping.classes).sorted()  // labels outside `classes` (custom mappings)
        switch ordered.count {
        case 0: return .missing
        case 1: return .label(ordered[0])
        default: return .ambiguous(ordered)
        }
    }

    /// The location terms of a UniProt "Subcellular location [CC]" text (see `clean(uniprotLocation:)`).
    public static func uniprotTerms(_ text: String) -> [String] {
        let plain = removingBracketed(text, open: "{", close: "}")
        var terms: [String] = []
        for var block in plain.splitCaseInsensitive(on: "SUBCELLULAR LOCATION:") {
            if let note = block.rangeCaseInsensitive(of: "Note=") {
                block = String(block[..<note.lowerBound])
            }
            block = block.trimmedWhitespace
            if block.hasPrefix("["), let end = block.firstIndex(of: "]") {  // [Isoform 2]:
                block = String(block[block.index(after: end)...]).trimmedWhitespace
                if block.hasPrefix(":") { block.removeFirst() }
            }
            for part in block.split(whereSeparator: { $0 == ";" || $0 == "." }) {
                let term = String(part).trimmedWhitespace
                if !term.isEmpty { terms.append(term) }
            }
        }
        return terms
    }

    /// The term names of a GO list `name [GO:id]; ...` (see `clean(goTerms:)`).
    public static func goTermNames(_ text: String) -> [String] {
        text.split(separator: ";").compactMap { part in
            var s = String(part)
            if let open = s.ranges(of: "[GO:").last {
                s = String(s[..<open.lowerBound])
            }
            let name = s.trimmedWhitespace
            return name.isEmpty ? nil : name
        }
    }

    /// `text` without the `open ... close` spans (unbalanced openers drop the rest of the text).
    static func removingBracketed(_ text: String, open: Character, close: Character) -> String {
        var out = "", depth = 0
        for c in text {
            if c == open { depth += 1 } else if c == close, depth > 0 { depth -= 1 } else if depth == 0 { out.append(c) }
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    var trimmedWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }

    /// The first range of `needle`, compared case-insensitively.
    func rangeCaseInsensitive(of needle: String) -> Range<String.Index>? {
        let lower = lowercased()
        // Offsets only carry over when lower-casing kept the character count (always so for ASCII).
        guard lower.count == count, let r = lower.firstRange(of: needle.lowercased()) else {
            return firstRange(of: needle)
        }
        let start = index(startIndex, offsetBy: lower.distance(from: lower.startIndex, to: r.lowerBound))
        return start..<index(start, offsetBy: lower.distance(from: r.lowerBound, to: r.upperBound))
    }

    /// The pieces between occurrences of `separator` (case-insensitive), keeping empty pieces.
    func splitCaseInsensitive(on separator: String) -> [String] {
        var pieces: [String] = []
        var rest = self
        while let r = rest.rangeCaseInsensitive(of: separator) {
            pieces.append(String(rest[..<r.lowerBound]))
            rest = String(rest[r.upperBound...])
        }
        pieces.append(rest)
        return pieces
    }
}
