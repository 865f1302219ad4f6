import Foundation

/// Reading UniProt "Subcellular location [CC]" texts.
enum LocationText {
    /// The location phrases of a text such as
    /// `SUBCELLULAR LOCATION: Cell membrane {ECO:0000305}; Multi-pass membrane protein. Note=...`.
    ///
    /// Evidence tags (`{...}`) are dropped, a `Note=` part runs to the end of its location block, and the
    /// remaining text splits into phrases at `;`, `.` and line ends.
    static func locations(in text: String) -> [Substring] {
        var text = text
        while let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") {
            text.removeSubrange(open...close)
        }
        var phrases: [Substring] = []
        for block in text.split(separator: "SUBCELLULAR LOCATION:") {
            let kept = block.firstRange(of: "Note=").map { block[..<$0.lowerBound] } ?? block
            for part in kept.split(whereSeparator: { $0 == ";" || $0 == "." || $0 == "\n" }) {
                let phrase = part.drop { $0 == " " || $0 == "," }
                if !phrase.isEmpty { phrases.append(phrase) }
            }
        }
        return phrases
    }

    /// Location phrases (lower case) that mean a membrane protein, alone or followed by more words.
    private static let membrane = [
        "cell membrane", "membrane", "cell inner membrane", "cell outer membrane", "multi-pass membrane protein",
        "single-pass membrane protein", "peripheral membrane protein", "lipid-anchor",
    ]

    /// The class of one phrase, or `nil` when it names none.
    static func locationClass(_ phrase: Substring) -> String? {
        let p = phrase.lowercased()
        if p.hasPrefix("cytoplasm") || p.hasPrefix("cytosol") { return "cytoplasm" }
        if p.hasPrefix("secreted") || p.hasPrefix("extracellular space") { return "secreted" }
        if membrane.contains(where: { p == $0 || p.hasPrefix($0 + " ") || p.hasPrefix($0 + ",") }) {
            return "membrane"
        }
        return nil
    }

    /// Gene Ontology cellular-component names that name a class; every other GO term does not vote.
    static let goClasses: [String: String] = [
        "cytosol": "cytoplasm", "cytoplasm": "cytoplasm",
        "plasma membrane": "membrane", "membrane": "membrane", "cell outer membrane": "membrane",
        "extracellular region": "secreted", "extracellular space": "secreted",
    ]

    /// The term names of a GO list such as `plasma membrane [GO:0005886]; cytosol [GO:0005829]`.
    static func goTermNames(in text: String) -> [String] {
        text.split(separator: ";").map { term in
            let name = term.range(of: "[GO:").map { term[..<$0.lowerBound] } ?? term[...]
            return name.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }
}
