import BelayLab
import Foundation

/// UniProt "Subcellular location [CC]" texts, labelled by Belay's one cleaning rule.
///
/// **Cleaning rule**: the generator does not carry a copy of its own. Every emitted `location` is
/// `LabelCleaner().clean(uniprotLocation:)` of the emitted text (BelayLab's `LocationMapping.route019`), the same
/// rule the grader uses when a sheet has no `location` column, so Belay cannot disagree with itself. In short:
/// evidence `{…}` and `Note=…` parts are ignored; `Cytoplasm` and every `Cytoplasm, <part>` (cytosol, nucleoid)
/// vote cytoplasm; `Cell membrane`, `Membrane`, `Cell inner membrane`, `Cell outer membrane` and the topology
/// terms vote membrane; `Secreted` and every `Secreted, <part>` vote secreted; `Cell wall`, `Periplasm`,
/// `Cell surface`, `Cell envelope`, `Capsule`, `Cytoplasmic side` do not vote. Exactly one class → that class;
/// none or several → blank (`nil`).
enum SynthLocationText {
    private static let cleaner = LabelCleaner()

    /// The cleaned label of `text` under Belay's rule (`nil` when blank, ambiguous or without a voting term).
    static func clean(_ text: String) -> SynthLocation? {
        cleaner.clean(uniprotLocation: text).label.flatMap(SynthLocation.init(rawValue:))
    }

    private static func evidence(rng: inout SynthRNG) -> String {
        let u = rng.uniform()
        func digits(_ n: Int, _ rng: inout SynthRNG) -> String {
            var s = String(rng.int(in: 1...9))
            for _ in 1..<n { s += String(rng.int(below: 10)) }
            return s
        }
        if u < 0.15 { return "" }
        if u < 0.30 { return " {ECO:0000250}" }
        if u < 0.42 { return " {ECO:0000255}" }
        if u < 0.54 { return " {ECO:0000305}" }
        if u < 0.74 { return " {ECO:0000269|PubMed:\(digits(8, &rng))}" }
        if u < 0.82 {
            return " {ECO:0000269|PubMed:\(digits(8, &rng)), ECO:0000269|PubMed:\(digits(8, &rng))}"
        }
        if u < 0.92 { return " {ECO:0000255|HAMAP-Rule:MF_0\(digits(4, &rng))}" }
        return " {ECO:0000250|UniProtKB:P9W\(digits(3, &rng))}"
    }

    private static func term(_ name: String, _ rng: inout SynthRNG) -> String {
        name + evidence(rng: &rng)
    }

    /// One location statement (without the trailing period) for a protein of `topology` in `location`.
    private static func statement(_ location: SynthLocation, _ topology: SynthTopology, _ rng: inout SynthRNG) -> String {
        switch location {
        case .cytoplasm:
            let name = rng.chance(0.8) ? "Cytoplasm" : rng.pick(["Cytoplasm, cytosol", "Cytoplasm, nucleoid", "Cytosol"])
            return term(name, &rng)
        case .membrane:
            let compartment = rng.chance(0.75)
                ? "Cell membrane" : rng.pick(["Membrane", "Cell inner membrane", "Cell outer membrane"])
            let head = term(compartment, &rng)
            switch topology {
            case .multiPass: return head + "; " + term("Multi-pass membrane protein", &rng)
            case .singlePass: return head + "; " + term("Single-pass membrane protein", &rng)
            case .lipoprotein: return head + "; " + term("Lipid-anchor", &rng)
            case .peripheral:
                let side = rng.chance(0.3) ? "; " + term("Cytoplasmic side", &rng) : ""
                return head + "; " + term("Peripheral membrane protein", &rng) + side
            default: return rng.chance(0.5) ? head : head + "; " + term("Peripheral membrane protein", &rng)
            }
        case .secreted:
            let u = rng.uniform()
            let name = u < 0.7 ? "Secreted" : (u < 0.9 ? "Secreted, cell wall" : "Secreted, extracellular space")
            return term(name, &rng)
        }
    }

    private static let nonVoting = ["Cell wall", "Periplasm", "Cell surface", "Cell envelope", "Capsule"]

    private static func note(_ rng: inout SynthRNG) -> String {
        rng.pick([
            "Note=Found in culture filtrate.",
            "Note=Exported by the ESX-1 secretion system.",
            "Note=Associated with the cell membrane under some growth conditions.",
            "Note=Partially found in the cytoplasm; Secreted by a Sec-independent pathway.",
            "Note=Detected in membrane fractions by proteomics.",
            "Note=Localizes to the poles of the cell.",
        ])
    }

    /// A UniProt-style text for a sheet protein and its cleaned label: about 2.5% blank, 2% naming two classes,
    /// 1% naming only non-voting compartments, the rest one class (sometimes with an extra non-voting location
    /// or a `Note=` that mentions other compartments).
    static func text(
        for location: SynthLocation, topology: SynthTopology, rng: inout SynthRNG
    ) -> (text: String, label: SynthLocation?) {
        let u = rng.uniform()
        var parts: [String]
        if u < 0.025 {
            return ("", nil)
        } else if u < 0.045 {
            let others = SynthLocation.allCases.filter { $0 != location }
            let other = rng.pick(others)
            let otherTopology: SynthTopology = other == .membrane ? rng.pick([.peripheral, .lipoprotein]) : .cytosolic
            parts = [statement(location, topology, &rng), statement(other, otherTopology, &rng)]
            if rng.chance(0.5) { parts.swapAt(0, 1) }
        } else if u < 0.055 {
            parts = [term(rng.pick(nonVoting), &rng)]
        } else {
            parts = [statement(location, topology, &rng)]
            if rng.chance(0.08) { parts.append(term(rng.pick(nonVoting), &rng)) }
        }
        var text = "SUBCELLULAR LOCATION: " + parts.joined(separator: ". ") + "."
        if rng.chance(0.12) { text += " " + note(&rng) }
        return (text, clean(text))
    }
}
