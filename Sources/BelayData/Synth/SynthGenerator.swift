import Foundation

/// Deterministic generator of realistic Route 019 data of any size.
///
/// The simulation, in order (each stage draws from its own forked stream of the seed):
/// 1. **Families** with heavy-tailed sizes: one or two PE/PPE-like families of 2.5–5% of the proteome each,
///    the rest from a discrete power law (exponent 2.1), so most families are singletons.
/// 2. **Family compartments** chosen so the proteome is about 60% cytoplasm, 28% membrane, 12% secreted; each
///    member keeps its family's compartment except for about 13% that are redrawn from those shares (so 5–12%
///    of members differ from their family). Half of the relocated members also gain the sequence features of their
///    new compartment; the others are the label noise real annotations have.
/// 3. **Sequences** by simulated evolution: an ancestor per family with the H37Rv amino-acid composition, a
///    log-normal length (median about 280, 50–1500; multi-pass membrane families 40% longer) and its compartment's features (transmembrane helices with
///    positive flanks, Sec/Tat signal peptides with an `AxA` motif, lipoboxes); members descend by
///    composition-aware substitutions and indels at a family divergence drawn from 0.03–0.55, jittered per member.
/// 4. **Names**: accessions, entry names, gene symbols (shared roots within families), locus tags.
/// 5. **Sheet**: `labeled` proteins drawn uniformly, in genome order, with varied UniProt-style location text
///    (see ``cleanedLocation(of:)`` for the cleaning rule; a few percent clean to blank).
/// 6. **Embeddings** for the proteome minus `missingEmbeddingShare` of the sheet's proteins (see the components
///    documented on the embedding builder): unrelated proteins at cosine about 0.5–0.75, homologs above 0.85.
public enum SynthGenerator {
    /// The sheet's columns, in order.
    public static let sheetHeader = [
        "Entry", "Entry Name", "Gene Names", "Length", "Sequence", "Subcellular location [CC]", "location",
    ]

    /// Target shares of cytoplasm, membrane and secreted proteins.
    static let classShares: [Double] = [0.60, 0.28, 0.12]

    /// The cleaned label of a UniProt "Subcellular location [CC]" text, by the rule every generated row obeys:
    /// BelayLab's `LabelCleaner().clean(uniprotLocation:)`, the grader's own cleaning (one rule, not two).
    /// Evidence `{…}` and `Note=…` parts are ignored; `Cytoplasm` and any `Cytoplasm, <part>` (`Cytoplasm,
    /// cytosol`, `Cytoplasm, nucleoid`) vote cytoplasm; `Cell membrane`, `Membrane`, `Cell inner membrane`,
    /// `Cell outer membrane`, the `…membrane protein` topologies and `Lipid-anchor` vote membrane; `Secreted`
    /// and any `Secreted, <part>` vote secreted; other terms (`Cell wall`, `Periplasm`, `Cytoplasmic side`, …)
    /// do not vote. Exactly one class → that class, else `nil`.
    public static func cleanedLocation(of text: String) -> SynthLocation? {
        SynthLocationText.clean(text)
    }

    /// Generates the dataset `config` describes; the same configuration always gives the same values and bytes.
    /// - Complexity: O(N × (L + D × 30)) for N proteins of mean length L and embedding width D.
    public static func generate(_ config: SynthConfig) -> SynthDataset {
        var config = config
        config.proteins = max(0, config.proteins)
        config.labeled = min(max(0, config.labeled), config.proteins)
        config.dimension = max(1, config.dimension)
        config.missingEmbeddingShare = min(1, max(0, config.missingEmbeddingShare.isNaN ? 0 : config.missingEmbeddingShare))
        let n = config.proteins
        let root = SynthRNG(seed: config.seed)

        // 1-2. Families, their compartments and topologies.
        var familyRNG = root.fork(1)
        let sizes = familySizes(n, rng: &familyRNG)
        let familyLocations = assignLocations(sizes, rng: &familyRNG)
        var familyOf: [Int] = []
        familyOf.reserveCapacity(n)
        for (f, size) in sizes.enumerated() { familyOf += Array(repeating: f, count: size) }
        familyRNG.shuffle(&familyOf)

        // 3. Sequences.
        var sequenceRNG = root.fork(2)
        var embeddingInputs: [SynthEmbeddings.Inputs] = []
        var compartments: [SynthLocation] = []
        var topologies: [SynthTopology] = []
        var residues: [SynthResidues] = []
        var divergences: [Double] = []
        var ancestors: [SynthResidues] = []
        var familyTopologies: [SynthTopology] = []
        var familyDivergence: [Double] = []
        var familyLocationVectors: [[Double]] = []
        for f in sizes.indices {
            let location = familyLocations[f]
            var length = SynthSequences.drawLength(rng: &sequenceRNG)
            let topology = SynthTopology.draw(for: location, length: length, rng: &sequenceRNG)
            if case .multiPass = topology { length = min(1500, length * 7 / 5) }  // transporters run longer
            familyTopologies.append(topology)
            ancestors.append(SynthSequences.ancestor(length: length, topology: topology, rng: &sequenceRNG))
            familyDivergence.append(sizes[f] == 1 ? sequenceRNG.uniform(0.0...0.3) : sequenceRNG.uniform(0.03...0.55))
            familyLocationVectors.append(SynthEmbeddings.locationVector(location, rng: &sequenceRNG))
        }
        for i in 0..<n {
            let f = familyOf[i]
            let d = min(0.7, familyDivergence[f] * sequenceRNG.uniform(0.6...1.4))
            var r = SynthSequences.descendant(of: ancestors[f], divergence: d, rng: &sequenceRNG)
            var compartment = familyLocations[f]
            var topology = familyTopologies[f]
            var locationVector = familyLocationVectors[f]
            if sizes[f] > 1 && sequenceRNG.chance(0.13) {
                compartment = drawClass(&sequenceRNG)
                if compartment != familyLocations[f] && sequenceRNG.chance(0.5) {
                    topology = SynthTopology.draw(for: compartment, length: r.aa.count, rng: &sequenceRNG)
                    SynthSequences.stripFeatures(&r, rng: &sequenceRNG)
                    SynthSequences.addFeatures(of: topology, to: &r, rng: &sequenceRNG)
                    locationVector = SynthEmbeddings.locationVector(compartment, rng: &sequenceRNG)
                }
            }
            compartments.append(compartment)
            topologies.append(topology)
            divergences.append(d)
            residues.append(r)
            let lipobox = if case .lipoprotein = topology { true } else { false }
            embeddingInputs.append(
                SynthEmbeddings.Inputs(
                    family: f, locationVector: locationVector, features: [],
                    helices: SynthSequences.helixCount(r), signalPeptide: SynthSequences.hasSignalPeptide(r),
                    lipobox: lipobox, divergence: d))
        }
        standardiseFeatures(residues, into: &embeddingInputs)

        // 4. Names.
        var nameRNG = root.fork(3)
        let names = makeNames(familyOf: familyOf, sizes: sizes, rng: &nameRNG)

        // 5. Sheet.
        var sheetRNG = root.fork(4)
        let labeledIndices = sheetRNG.sample(config.labeled, from: n).sorted()
        var texts = [String](repeating: "", count: n)
        var labels = [SynthLocation?](repeating: nil, count: n)
        for i in labeledIndices {
            let t = SynthLocationText.text(for: compartments[i], topology: topologies[i], rng: &sheetRNG)
            texts[i] = t.text
            labels[i] = t.label
        }

        var proteins: [SynthProtein] = []
        proteins.reserveCapacity(n)
        for i in 0..<n {
            proteins.append(
                SynthProtein(
                    entry: names.entries[i], entryName: names.entryNames[i], geneNames: names.geneNames[i],
                    sequence: String(decoding: residues[i].aa, as: UTF8.self), locationText: texts[i],
                    location: labels[i]?.rawValue, family: familyOf[i], compartment: compartments[i],
                    divergence: divergences[i]))
        }

        // 6. Embeddings.
        var embeddingRNG = root.fork(5)
        let missingCount = Int((Double(config.labeled) * config.missingEmbeddingShare).rounded())
        let missing = Set(embeddingRNG.sample(missingCount, from: labeledIndices.count).map { labeledIndices[$0] })
        let rows = (0..<n).filter { !missing.contains($0) }.sorted {
            names.entries[$0].utf8.lexicographicallyPrecedes(names.entries[$1].utf8)
        }
        let embeddings = SynthEmbeddings.build(
            inputs: embeddingInputs, rows: rows, families: sizes.count, dimension: config.dimension,
            rng: &embeddingRNG)

        return SynthDataset(
            config: config, proteins: proteins, labeledIndices: labeledIndices,
            embeddingIDs: rows.map { names.entries[$0] }, embeddings: embeddings, sheetHeader: sheetHeader)
    }

    /// Heavy-tailed family sizes summing to `n`: one or two large PE/PPE-like families (2.5–5% each, when `n`
    /// is at least 100), then power-law sizes (P(s) ∝ s^-2.1, s ≤ max(2, n/40)), most of them singletons.
    static func familySizes(_ n: Int, rng: inout SynthRNG) -> [Int] {
        var sizes: [Int] = []
        var remaining = n
        if n >= 100 {
            let large = rng.chance(0.7) ? 2 : 1
            for _ in 0..<large {
                let s = min(remaining, Int((Double(n) * rng.uniform(0.025...0.05)).rounded()))
                sizes.append(s)
                remaining -= s
            }
        }
        let cap = max(2, n / 40)
        var cumulative: [Double] = []
        var total = 0.0
        for s in 1...cap {
            total += pow(Double(s), -2.1)
            cumulative.append(total)
        }
        while remaining > 0 {
            let u = rng.uniform() * total
            var s = cap
            for (k, c) in cumulative.enumerated() where u < c {
                s = k + 1
                break
            }
            s = min(s, remaining)
            sizes.append(s)
            remaining -= s
        }
        return sizes
    }

    /// One class drawn from the target shares.
    static func drawClass(_ rng: inout SynthRNG) -> SynthLocation {
        let u = rng.uniform()
        return u < classShares[0] ? .cytoplasm : (u < classShares[0] + classShares[1] ? .membrane : .secreted)
    }

    /// Family compartments that keep the proteome near the target shares: families, largest first, draw a class
    /// with probability proportional to how far each class is below its share once this family is counted.
    static func assignLocations(_ sizes: [Int], rng: inout SynthRNG) -> [SynthLocation] {
        let order = sizes.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        var counts = [0.0, 0.0, 0.0]
        var assigned = 0.0
        var out = [SynthLocation](repeating: .cytoplasm, count: sizes.count)
        for f in order {
            let size = Double(sizes[f])
            let deficits = (0..<3).map { c in max(0, classShares[c] * (assigned + size) - counts[c]) + 1e-9 }
            let total = deficits.reduce(0, +)
            var u = rng.uniform() * total
            var c = 2
            for k in 0..<3 {
                if u < deficits[k] {
                    c = k
                    break
                }
                u -= deficits[k]
            }
            out[f] = SynthLocation.allCases[c]
            counts[c] += size
            assigned += size
        }
        return out
    }

    /// Fills each input's 21 features (log length, 20 residue fractions), standardised over the proteome.
    static func standardiseFeatures(_ residues: [SynthResidues], into inputs: inout [SynthEmbeddings.Inputs]) {
        let alphabet = Array("ACDEFGHIKLMNPQRSTVWY".utf8)
        var slot = [Int](repeating: -1, count: 256)
        for (k, a) in alphabet.enumerated() { slot[Int(a)] = k }
        var raw: [[Double]] = residues.map { r in
            var f = [Double](repeating: 0, count: 21)
            f[0] = log(Double(max(r.aa.count, 1)))
            for a in r.aa where slot[Int(a)] >= 0 { f[1 + slot[Int(a)]] += 1 }
            for k in 1..<21 { f[k] /= Double(max(r.aa.count, 1)) }
            return f
        }
        guard !raw.isEmpty else { return }
        for k in 0..<21 {
            var mean = 0.0
            for f in raw { mean += f[k] }
            mean /= Double(raw.count)
            var variance = 0.0
            for f in raw { variance += (f[k] - mean) * (f[k] - mean) }
            let sd = (variance / Double(raw.count)).squareRoot()
            for i in raw.indices { raw[i][k] = sd > 0 ? (raw[i][k] - mean) / sd : 0 }
        }
        for i in inputs.indices { inputs[i].features = raw[i] }
    }

    /// Accessions, entry names and gene names for every protein.
    static func makeNames(
        familyOf: [Int], sizes: [Int], rng: inout SynthRNG
    ) -> (entries: [String], entryNames: [String], geneNames: [String]) {
        let n = familyOf.count
        let entries = SynthNames.accessions(n, rng: &rng)
        // Gene roots: the two largest families are PE_PGRS- and PPE-like; others get a root half the time.
        let bySize = sizes.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        var roots = [String?](repeating: nil, count: sizes.count)
        for f in sizes.indices where rng.chance(sizes[f] > 1 ? 0.5 : 0.35) { roots[f] = SynthNames.geneRoot(rng: &rng) }
        if sizes.count >= 1, sizes[bySize[0]] > 1 { roots[bySize[0]] = "PE_PGRS" }
        if sizes.count >= 2, sizes[bySize[1]] > 1 { roots[bySize[1]] = "PPE" }
        var memberCount = [Int](repeating: 0, count: sizes.count)
        var usedSymbols = Set<String>()
        var usedNames = Set<String>()
        var entryNames: [String] = []
        var geneNames: [String] = []
        for i in 0..<n {
            let f = familyOf[i]
            let locus = SynthNames.locusTag(i, complement: rng.chance(0.45))
            let k = memberCount[f]
            memberCount[f] += 1
            var symbol: String? = nil
            var mnemonic: String? = nil
            if let root = roots[f] {
                if root == "PE_PGRS" || root == "PPE" {
                    symbol = root + String(k + 1)
                    mnemonic = (root == "PPE" ? "PPE" : "PG") + String(k + 1)
                } else {
                    let s = SynthNames.memberSymbol(root: root, k: k)
                    symbol = s
                    mnemonic = s.uppercased()
                }
            }
            if let s = symbol, !usedSymbols.insert(s).inserted { symbol = nil; mnemonic = nil }
            var name = (mnemonic ?? ("Y" + locus.dropFirst(2).uppercased())) + "_MYCTU"
            if !usedNames.insert(name).inserted {
                name = "Y" + locus.dropFirst(2).uppercased() + "_MYCTU"
                usedNames.insert(name)
                symbol = nil
            }
            entryNames.append(name)
            geneNames.append(symbol.map { "\($0) \(locus)" } ?? locus)
        }
        return (entries, entryNames, geneNames)
    }
}
