import Foundation

/// How a protein sits in (or leaves) the cell, which decides the sequence features it carries.
enum SynthTopology: Sendable, Hashable {
    /// No targeting signal.
    case cytosolic
    /// Several transmembrane helices.
    case multiPass(Int)
    /// One transmembrane helix (signal anchor near the N terminus).
    case singlePass
    /// Sec signal peptide ending in a lipobox (`[LVI][AS][GA]C`): anchored by a lipid.
    case lipoprotein
    /// Bound to the membrane surface without a hydrophobic segment.
    case peripheral
    /// Sec signal peptide: positive n-region, hydrophobic h-region, `AxA` cleavage motif.
    case secSignal
    /// Twin-arginine (`RR`) signal peptide.
    case tatSignal
    /// Secreted without a cleavable signal (ESX-like).
    case leaderless

    /// Draws the topology of a new family (or a relocated member) of compartment `location`.
    static func draw(for location: SynthLocation, length: Int, rng: inout SynthRNG) -> SynthTopology {
        let u = rng.uniform()
        switch location {
        case .cytoplasm:
            return .cytosolic
        case .membrane:
            if u < 0.45 {
                let k = 2 + Int(-log(1.0 - rng.uniform()) * 4.0)
                return .multiPass(max(2, min(k, 14, length / 40)))
            }
            if u < 0.70 { return .singlePass }
            if u < 0.85 { return .lipoprotein }
            return .peripheral
        case .secreted:
            if u < 0.80 { return .secSignal }
            if u < 0.90 { return .tatSignal }
            return .leaderless
        }
    }
}

/// Residues plus the region each came from, so substitutions stay composition-aware
/// (a transmembrane helix mutates towards hydrophobic residues, background towards the proteome mix).
struct SynthResidues: Sendable {
    var aa: [UInt8]
    var region: [SynthRegion]
}

/// Sequence regions with their own substitution distributions.
enum SynthRegion: UInt8, Sendable {
    case background, transmembrane, positiveFlank, signalN, signalH, signalC, start
}

/// Amino-acid distributions and the ancestral/descendant sequence simulation.
enum SynthSequences {
    /// *M. tuberculosis* H37Rv amino-acid composition (percent; GC-rich: high A G L V R P T D, low K N F Y C W M),
    /// as measured on the 2443 proteins of the bundled sheet.
    static let mtbComposition: [(Character, Double)] = [
        ("A", 13.13), ("C", 0.84), ("D", 5.79), ("E", 4.73), ("F", 3.00), ("G", 9.14), ("H", 2.19), ("I", 4.41),
        ("K", 2.18), ("L", 10.05), ("M", 2.02), ("N", 2.35), ("P", 5.87), ("Q", 3.13), ("R", 7.36), ("S", 5.45),
        ("T", 5.95), ("V", 8.81), ("W", 1.47), ("Y", 2.14),
    ]
    static let background = SynthCategorical(mtbComposition)
    /// Transmembrane helix core: L, I, V, F, A, G, W rich.
    static let transmembrane = SynthCategorical([
        ("L", 22), ("I", 12), ("V", 15), ("F", 10), ("A", 13), ("G", 8), ("W", 3), ("M", 4), ("S", 3), ("T", 4),
        ("Y", 2), ("C", 2), ("P", 1), ("R", 0.5), ("E", 0.5),
    ])
    /// Positively charged flank / signal-peptide n-region.
    static let positive = SynthCategorical([
        ("R", 40), ("K", 20), ("A", 10), ("S", 8), ("T", 8), ("G", 6), ("P", 4), ("Q", 4),
    ])
    /// Signal-peptide h-region.
    static let signalH = SynthCategorical([
        ("L", 28), ("A", 22), ("V", 14), ("I", 9), ("F", 7), ("G", 7), ("M", 3), ("S", 4), ("T", 4), ("W", 2),
    ])
    /// Signal-peptide c-region (small, polar).
    static let signalC = SynthCategorical([("A", 40), ("S", 15), ("G", 12), ("T", 12), ("Q", 8), ("P", 6), ("V", 7)])

    static func distribution(_ region: SynthRegion) -> SynthCategorical {
        switch region {
        case .background, .start: background
        case .transmembrane: transmembrane
        case .positiveFlank, .signalN: positive
        case .signalH: signalH
        case .signalC: signalC
        }
    }

    /// A log-normal protein length (median about 280, sd of the log 0.6), clamped to 50...1500;
    /// multi-pass membrane families run about 25% longer.
    static func drawLength(rng: inout SynthRNG, scale: Double = 1) -> Int {
        let l = exp(log(280.0) + 0.6 * rng.normal()) * scale
        return Int(min(1500, max(50, l.rounded())))
    }

    /// An ancestral sequence of `length` residues carrying the features of `topology`.
    static func ancestor(length: Int, topology: SynthTopology, rng: inout SynthRNG) -> SynthResidues {
        var r = SynthResidues(aa: [UInt8(ascii: "M")], region: [.start])
        r.aa.reserveCapacity(length)
        r.region.reserveCapacity(length)
        for _ in 1..<max(length, 2) {
            r.aa.append(background.draw(&rng))
            r.region.append(.background)
        }
        addFeatures(of: topology, to: &r, rng: &rng)
        return r
    }

    /// Writes the targeting features of `topology` over background residues (signal peptide at the N terminus,
    /// transmembrane helices spread along the chain).
    static func addFeatures(of topology: SynthTopology, to r: inout SynthResidues, rng: inout SynthRNG) {
        switch topology {
        case .cytosolic, .peripheral, .leaderless:
            return
        case .secSignal:
            writeSignalPeptide(into: &r, tat: false, lipobox: false, rng: &rng)
        case .tatSignal:
            writeSignalPeptide(into: &r, tat: true, lipobox: false, rng: &rng)
        case .lipoprotein:
            writeSignalPeptide(into: &r, tat: false, lipobox: true, rng: &rng)
        case .singlePass:
            // A signal anchor: one helix close to the N terminus.
            let start = min(rng.int(in: 6...30), max(1, r.aa.count - 30))
            writeHelix(into: &r, at: start, length: rng.int(in: 19...24), rng: &rng)
        case .multiPass(let k):
            let first = rng.int(in: 4...25)
            let usable = r.aa.count - first - 8
            let count = max(1, min(k, usable / 32))
            let slot = usable / count
            for s in 0..<count {
                let length = rng.int(in: 18...24)
                let offset = rng.int(in: 0...max(0, slot - length - 6))
                writeHelix(into: &r, at: first + s * slot + offset, length: length, rng: &rng)
            }
        }
    }

    private static func set(_ r: inout SynthResidues, _ i: Int, _ aa: UInt8, _ region: SynthRegion) {
        guard i > 0, i < r.aa.count else { return }
        r.aa[i] = aa
        r.region[i] = region
    }

    private static func writeHelix(into r: inout SynthResidues, at start: Int, length: Int, rng: inout SynthRNG) {
        // Positive-inside rule: one or two K/R just before the helix, sometimes after it.
        let flank = rng.int(in: 1...2)
        for j in 1...flank { set(&r, start - j, positive.draw(&rng), .positiveFlank) }
        for j in 0..<length { set(&r, start + j, transmembrane.draw(&rng), .transmembrane) }
        if rng.chance(0.5) { set(&r, start + length, positive.draw(&rng), .positiveFlank) }
    }

    private static func writeSignalPeptide(
        into r: inout SynthResidues, tat: Bool, lipobox: Bool, rng: inout SynthRNG
    ) {
        var i = 1
        let nLength = rng.int(in: 2...6)
        for _ in 0..<nLength {
            set(&r, i, positive.draw(&rng), .signalN)
            i += 1
        }
        if tat {  // S/T-R-R-x-F-L-K
            for c in "TRRAFL".utf8 {
                set(&r, i, c, .signalN)
                i += 1
            }
        } else {
            set(&r, i, rng.chance(0.5) ? UInt8(ascii: "R") : UInt8(ascii: "K"), .signalN)
            i += 1
        }
        for _ in 0..<rng.int(in: 10...16) {
            set(&r, i, signalH.draw(&rng), .signalH)
            i += 1
        }
        if lipobox {  // lipobox [LVI][AS][GA]C: the cysteine is acylated and becomes the mature N terminus
            for c in [rng.pick(Array("LVI".utf8)), rng.pick(Array("AS".utf8)), rng.pick(Array("GA".utf8)), UInt8(ascii: "C")] {
                set(&r, i, c, .signalC)
                i += 1
            }
        } else {
            for _ in 0..<rng.int(in: 1...3) {
                set(&r, i, signalC.draw(&rng), .signalC)
                i += 1
            }
            for c in [UInt8(ascii: "A"), signalC.draw(&rng), UInt8(ascii: "A")] {  // AxA cleavage motif
                set(&r, i, c, .signalC)
                i += 1
            }
        }
    }

    /// A descendant of `ancestor` after divergence `d` (expected share of substituted sites, each substitution drawn
    /// from its region's distribution) with indels (about `0.06 × d` events per site, 1–10 residues, none inside a
    /// signal peptide); the initiator methionine is kept.
    static func descendant(of ancestor: SynthResidues, divergence d: Double, rng: inout SynthRNG) -> SynthResidues {
        var out = SynthResidues(aa: [], region: [])
        out.aa.reserveCapacity(ancestor.aa.count + 16)
        out.region.reserveCapacity(ancestor.aa.count + 16)
        let indelRate = 0.06 * d
        var i = 0
        while i < ancestor.aa.count {
            let region = ancestor.region[i]
            let indelAllowed = region == .background || region == .transmembrane || region == .positiveFlank
            if indelAllowed && i > 0 && rng.chance(indelRate) {
                let length = min(10, 1 + Int(-log(1.0 - rng.uniform()) * 2.0))
                if rng.chance(0.5) {
                    var skipped = 0
                    while skipped < length, i < ancestor.aa.count,
                        ancestor.region[i] == .background || ancestor.region[i] == .transmembrane
                    {
                        i += 1
                        skipped += 1
                    }
                    continue
                }
                for _ in 0..<length {
                    out.aa.append(distribution(region).draw(&rng))
                    out.region.append(region)
                }
            }
            var aa = ancestor.aa[i]
            if region != .start && rng.chance(d) { aa = distribution(region).draw(&rng) }
            out.aa.append(aa)
            out.region.append(region)
            i += 1
        }
        return out
    }

    /// Resamples every targeting feature as background (used before a relocated member gains its own features).
    static func stripFeatures(_ r: inout SynthResidues, rng: inout SynthRNG) {
        for i in r.aa.indices where r.region[i] != .background && r.region[i] != .start {
            r.aa[i] = background.draw(&rng)
            r.region[i] = .background
        }
    }

    /// Number of transmembrane helices still recognisable (runs of at least 14 helix residues).
    static func helixCount(_ r: SynthResidues) -> Int {
        var count = 0
        var run = 0
        for region in r.region {
            if region == .transmembrane {
                run += 1
                if run == 14 { count += 1 }
            } else {
                run = 0
            }
        }
        return count
    }

    /// Whether an N-terminal signal peptide (h-region of at least 6 residues in the first 40) is present.
    static func hasSignalPeptide(_ r: SynthResidues) -> Bool {
        r.region.prefix(40).reduce(0) { $0 + ($1 == .signalH ? 1 : 0) } >= 6
    }
}
