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
    /// **GO cellular-component names** (lower case) reproduce the embedded dataset's `location` column exactly:
    /// extracellular region / space -> secreted; plasma membrane, membrane, cell outer membrane -> membrane;
    /// cytosol, cytoplasm -> cytoplasm; every other GO name (peptidoglycan-based cell wall, ribosome, cell surface,
    /// integral component of membrane, ...) does not vote.
    ///
    /// **UniProt "Subcellular location [CC]" terms**, reviewed term by term against UniProt's controlled
    /// vocabulary of subcellular locations (`subcell.txt`). A location there is written as its `SL` line, the
    /// top-level location first and each narrower part after a comma (`Cytoplasm, nucleoid`, `Secreted, cell
    /// wall`, `Cytoplasmic vesicle, secretory vesicle, acrosome`); membrane topologies (`IT`) and orientations
    /// (`IO`) follow a location after `;`. Matching is case-insensitive, so a rule written for one source also
    /// reads the other's spelling (`Cytoplasm` and `cytoplasm`). A term with no rule of its own votes by its
    /// top-level location, the part before the first comma (see `labels(forLocationTerm:)`). Decisions:
    /// - cytoplasm: `Cytoplasm` (SL-0086) and every `Cytoplasm, <sub-location>` (cytosol, nucleoid,
    ///   cytoskeleton, cell cortex, ... are parts of the cytoplasm); the bare `Cytosol` (the GO name). A bare
    ///   `Nucleoid` does not vote: it is not UniProt's form, and as a GO name (`nucleoid [GO:0009295]`) the
    ///   embedded dataset's `location` column leaves it out.
    /// - membrane: `Membrane` (SL-0162), `Cell membrane`, `Cell inner membrane`, `Cell outer membrane` (the
    ///   route's one membrane class covers the cytoplasmic membrane and the outer membrane alike); the topology
    ///   terms `Multi-pass membrane protein`, `Single-pass membrane protein`, `Single-pass type I`...`IV membrane
    ///   protein`, `Peripheral membrane protein`, `Lipid-anchor` (also `Lipid-anchor, GPI-anchor`) and
    ///   `GPI-anchor`, which all say the protein sits in a membrane.
    /// - secreted: `Secreted` and every `Secreted, <sub-location>` (`Secreted, cell wall`, `Secreted,
    ///   extracellular space`, `Secreted, capsule`, ...), because UniProt files those under Secreted; the bare
    ///   `Extracellular space` (the GO name) as well.
    /// - no vote: `Periplasm`, `Cell envelope`, `Cell wall` (bare; UniProt's own form is `Secreted, cell wall`),
    ///   `Cell surface`, `Capsule` (bare), `Cell septum`, `Cell pole`, `Cell tip`, `Cell projection[, ...]`,
    ///   `Cytoplasmic vesicle[, ...]` and `Cytoplasmic granule` (a vesicle is not the cytoplasm: `Cytoplasmic
    ///   vesicle` is a kind of `Vesicle` in UniProt's hierarchy, not a part of `Cytoplasm`), membranes of other
    ///   compartments (`Cytoplasmic vesicle membrane`, `Membrane raft`; as with GO, only the cell's own
    ///   membranes vote, though a topology term after them still does),
    ///   every `Host ...` location (the host's compartments, not the bacterium's), the orientation terms
    ///   (`Cytoplasmic side`, `Extracellular side`, `Periplasmic side`, `Lumenal side`), and every other term:
    ///   none of them says which of the three compartments the protein is in.
    /// All rules are exact: a term that merely starts like a voting term (`Cytoplasmic vesicle`, `Secretory
    /// vesicle`, `Membrane raft`) never votes by accident.
    public static let route019Table = """
        # term\tlabel\tmatch  (GO cellular-component names)
        cytoplasm\tcytoplasm\texact
        cytosol\tcytoplasm\texact
        plasma membrane\tmembrane\texact
        membrane\tmembrane\texact
        cell outer membrane\tmembrane\texact
        extracellular region\tsecreted\texact
        extracellular space\tsecreted\texact
        # UniProt "Subcellular location [CC]" terms (a `Top, part` term without a rule votes by `Top`)
        Cytoplasm\tcytoplasm\texact
        Cytoplasm, cytosol\tcytoplasm\texact
        Cytoplasm, nucleoid\tcytoplasm\texact
        Membrane\tmembrane\texact
        Cell membrane\tmembrane\texact
        Cell inner membrane\tmembrane\texact
        Cell outer membrane\tmembrane\texact
        Multi-pass membrane protein\tmembrane\texact
        Single-pass membrane protein\tmembrane\texact
        Single-pass type I membrane protein\tmembrane\texact
        Single-pass type II membrane protein\tmembrane\texact
        Single-pass type III membrane protein\tmembrane\texact
        Single-pass type IV membrane protein\tmembrane\texact
        Peripheral membrane protein\tmembrane\texact
        Lipid-anchor\tmembrane\texact
        GPI-anchor\tmembrane\texact
        Secreted\tsecreted\texact
        Secreted, cell wall\tsecreted\texact
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

    /// The classes a UniProt location term votes for: the rules matching the whole term, or, when none does,
    /// those matching its top-level location, the part before the first comma (`Cytoplasm, nucleoid` votes as
    /// `Cytoplasm`, `Secreted, extracellular space` as `Secreted`, `Cytoplasmic vesicle, secretory vesicle` as
    /// `Cytoplasmic vesicle`, which has no rule).
    public func labels(forLocationTerm term: String) -> [String] {
        let whole = labels(forTerm: term)
        guard whole.isEmpty, let comma = term.firstIndex(of: ",") else { return whole }
        let head = String(term[..<comma]).trimmedWhitespace
        return head.isEmpty ? [] : labels(forTerm: head)
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
    public var mapping: LocationMapping {
        didSet { compiled = CompiledLocationMapping(mapping) }
    }
    /// `mapping` as byte tables for the one-pass ASCII path (see LabelCleaning+Bytes.swift).
    private(set) var compiled: CompiledLocationMapping?

    /// Creates a cleaner; the default is Route 019's three-class mapping.
    public init(mapping: LocationMapping = .route019) {
        self.mapping = mapping
        self.compiled = CompiledLocationMapping(mapping)
    }

    /// Cleans UniProt "Subcellular location [CC]" text.
    ///
    /// Steps: drop evidence tags in braces (`{ECO:0000255|HAMAP-Rule:...}`); cut the text into blocks at each
    /// `SUBCELLULAR LOCATION:`; in each block drop an isoform prefix (`[Isoform 2]:`) and everything from
    /// `Note=` on (notes are free prose and run to the end of their block); split the rest on `;` and `.`;
    /// trim. Each term then votes through the mapping, whole or else by its top-level location (see
    /// `LocationMapping.labels(forLocationTerm:)`). Isoforms all vote for the one protein, so isoforms in
    /// different compartments make it ambiguous.
    /// - Complexity: O(text length x rules).
    ///
    /// ASCII text (every UniProt export) with an all-exact mapping takes a one-pass byte path that allocates
    /// nothing per row; it gives exactly `referenceClean(uniprotLocation:)`'s outcome (tested on tricky inputs).
    public func clean(uniprotLocation text: String) -> LabelOutcome {
        if let compiled, let fast = compiled.outcome(uniprotLocation: text) { return fast }
        return referenceClean(uniprotLocation: text)
    }

    /// The rule of `clean(uniprotLocation:)` written plainly over `String`s: the definition the byte path must
    /// agree with.
    public func referenceClean(uniprotLocation text: String) -> LabelOutcome {
        outcome(forVotes: Self.uniprotTerms(text).map { mapping.labels(forLocationTerm: $0) })
    }

    /// Cleans a GO cellular-component list, `name [GO:id]; name [GO:id]`: split on `;`, drop each `[GO:...]`
    /// tag, trim; each name votes through the mapping.
    /// - Complexity: O(text length x rules).
    public func clean(goTerms text: String) -> LabelOutcome {
        if let compiled, let fast = compiled.outcome(goTerms: text) { return fast }
        return referenceClean(goTerms: text)
    }

    /// The rule of `clean(goTerms:)` written plainly over `String`s (the definition of the byte path).
    public func referenceClean(goTerms text: String) -> LabelOutcome {
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

    /// The vote of a list of terms (each matched whole): one class -> `.label`, several -> `.ambiguous`,
    /// none -> `.missing`.
    public func outcome(forTerms terms: [String]) -> LabelOutcome {
        outcome(forVotes: terms.map { mapping.labels(forTerm: $0) })
    }

    /// The outcome of the terms' votes (each the classes one term voted for).
    func outcome(forVotes votes: [[String]]) -> LabelOutcome {
        var hits = Set<String>()
        for vote in votes { hits.formUnion(vote) }
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
