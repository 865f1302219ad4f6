import Testing
@testable import BelayData

/// The small configuration most tests use: fast in a debug build.
private func small(seed: UInt64, proteins: Int = 600, labeled: Int = 400, dimension: Int = 128) -> SynthDataset {
    SynthGenerator.generate(SynthConfig(proteins: proteins, labeled: labeled, seed: seed, dimension: dimension))
}

private let hydrophobic = Set("AILMFVW".utf8)

private func hydrophobicFraction<S: Sequence>(_ residues: S) -> Double where S.Element == UInt8 {
    var h = 0
    var n = 0
    for a in residues {
        n += 1
        if hydrophobic.contains(a) { h += 1 }
    }
    return n > 0 ? Double(h) / Double(n) : 0
}

private func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }

/// Labelled proteins that have an embedding: their indices, normalised embeddings and class indices.
private struct LabelledView {
    let indices: [Int]
    let vectors: [Float]
    let labels: [Int]
    let similarities: [Float]
    var count: Int { indices.count }

    init(_ data: SynthDataset) {
        let embedded = Set(data.embeddingIDs)
        indices = data.labeledIndices.filter {
            data.proteins[$0].location != nil && embedded.contains(data.proteins[$0].entry)
        }
        vectors = SynthMath.normalizedRows(data, ids: indices.map { data.proteins[$0].entry })
        labels = indices.map { SynthLocation(rawValue: data.proteins[$0].location ?? "")?.index ?? -1 }
        similarities = SynthMath.similarities(vectors, n: indices.count, d: data.config.dimension)
    }
}

@Suite("Synthetic dataset generator")
struct SynthTests {
    @Test func sameSeedGivesIdenticalBytesAndOtherSeedsDiffer() {
        let config = SynthConfig(proteins: 300, labeled: 200, seed: 7, dimension: 32)
        let a = SynthGenerator.generate(config)
        let b = SynthGenerator.generate(config)
        #expect(a.proteins == b.proteins)
        #expect(a.sheetRows() == b.sheetRows())
        #expect(a.embeddingIDs == b.embeddingIDs)
        #expect(a.embeddings.map(\.bitPattern) == b.embeddings.map(\.bitPattern))

        var other = config
        other.seed = 8
        let c = SynthGenerator.generate(other)
        #expect(c.proteins.map(\.sequence) != a.proteins.map(\.sequence))
        #expect(c.embeddings.map(\.bitPattern) != a.embeddings.map(\.bitPattern))
        #expect(c.proteins.map(\.entry) != a.proteins.map(\.entry))
    }

    @Test func randomSourceIsPinned() {
        // xoshiro256** seeded by splitmix64 must not drift between toolchains or refactors.
        var rng = SynthRNG(seed: 42)
        let first = (0..<3).map { _ in rng.next() }
        var again = SynthRNG(seed: 42)
        #expect((0..<3).map { _ in again.next() } == first)
        var shuffled = Array(0..<10)
        rng.shuffle(&shuffled)
        #expect(shuffled.sorted() == Array(0..<10))
        #expect(shuffled != Array(0..<10))
        let normals = (0..<20_000).map { _ in rng.normal() }
        let m = mean(normals)
        let variance = mean(normals.map { ($0 - m) * ($0 - m) })
        #expect(abs(m) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        #expect(rng.sample(5, from: 5).sorted() == [0, 1, 2, 3, 4])
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(rng.int(below: 7)) })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func countsIdsAndSheetShape(seed: UInt64) throws {
        let data = small(seed: seed)
        #expect(data.proteins.count == 600)
        #expect(data.labeledIndices.count == 400)
        #expect(data.labeledIndices == data.labeledIndices.sorted())
        #expect(Set(data.labeledIndices).count == 400)
        #expect(Set(data.proteins.map(\.entry)).count == 600)
        #expect(Set(data.proteins.map(\.entryName)).count == 600)
        #expect(data.proteins.allSatisfy { $0.entryName.hasSuffix("_MYCTU") })
        #expect(data.proteins.allSatisfy { $0.geneNames.split(separator: " ").last?.hasPrefix("Rv") == true })

        // Embeddings: the proteome minus 2% of the labelled ids, sorted like HDF5 names, unique.
        let ids = Set(data.embeddingIDs)
        #expect(ids.count == data.embeddingIDs.count)
        #expect(data.embeddingIDs == data.embeddingIDs.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(data.embeddings.count == data.embeddingIDs.count * 128)
        let labelledIDs = data.labeledIndices.map { data.proteins[$0].entry }
        let missing = labelledIDs.filter { !ids.contains($0) }
        #expect(missing.count == 8)  // round(400 × 0.02)
        #expect(data.embeddingIDs.count == 600 - 8)
        #expect(ids.isSubset(of: Set(data.proteins.map(\.entry))))
        #expect(data.embeddings.allSatisfy { $0.isFinite })

        let rows = data.sheetRows()
        #expect(data.sheetHeader == [
            "Entry", "Entry Name", "Gene Names", "Length", "Sequence", "Subcellular location [CC]", "location",
        ])
        #expect(rows.count == 400)
        for row in rows {
            try #require(row.count == 7)
            #expect(Int(row[3]) == row[4].count)
            #expect(row[4].first == "M")
            #expect(row[4].allSatisfy { "ACDEFGHIKLMNPQRSTVWY".contains($0) })
            #expect(["", "cytoplasm", "membrane", "secreted"].contains(row[6]))
        }
    }

    @Test func accessionsLookLikeUniProt() {
        let data = small(seed: 5, proteins: 3000, labeled: 10, dimension: 1)
        let digits = Set("0123456789")
        let upperOrDigit = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for entry in data.proteins.map(\.entry) {
            let c = Array(entry)
            #expect(c.count == 6)
            #expect("OPQ".contains(c[0]) && digits.contains(c[1]) && digits.contains(c[5]))
            #expect(c[2...4].allSatisfy { upperOrDigit.contains($0) })
        }
        #expect(data.proteins.filter { $0.entry.hasPrefix("P9W") }.count > 1500)
        #expect(Set(data.proteins.map(\.entry)).count == 3000)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func classSharesAreNearSixtyTwentyEightTwelve(seed: UInt64) {
        let data = small(seed: seed, proteins: 2000, labeled: 1200, dimension: 4)
        let labels = data.labeledIndices.compactMap { data.proteins[$0].location }
        let share = { (name: String) in Double(labels.filter { $0 == name }.count) / Double(labels.count) }
        #expect(abs(share("cytoplasm") - 0.60) < 0.05)
        #expect(abs(share("membrane") - 0.28) < 0.05)
        #expect(abs(share("secreted") - 0.12) < 0.04)
        // Cleaning drops a few percent, like the real sheet.
        let dropped = 1 - Double(labels.count) / Double(data.labeledIndices.count)
        #expect(dropped > 0.02 && dropped < 0.10)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func locationTextIsVariedAndCleansByTheDocumentedRule(seed: UInt64) {
        let data = small(seed: seed, proteins: 1500, labeled: 1200, dimension: 1)
        var ambiguous = 0
        var blank = 0
        for i in data.labeledIndices {
            let p = data.proteins[i]
            #expect(SynthGenerator.cleanedLocation(of: p.locationText)?.rawValue == p.location)
            if p.locationText.isEmpty { blank += 1 } else {
                #expect(p.locationText.hasPrefix("SUBCELLULAR LOCATION: "))
                if p.location == nil { ambiguous += 1 }
            }
            // A protein that keeps a single class is labelled with its simulated compartment.
            if let label = p.location { #expect(label == p.compartment.rawValue) }
        }
        #expect(blank > 0 && ambiguous > 0)
        let texts = data.labeledIndices.map { data.proteins[$0].locationText }
        for fragment in ["{ECO:0000269|PubMed:", "HAMAP-Rule:MF_", "Multi-pass membrane protein", "Secreted, cell wall",
                         "Note=", "Lipid-anchor", "Cytoplasm"] {
            #expect(texts.contains { $0.contains(fragment) }, "no text contains \(fragment)")
        }
        // Proteins outside the sheet carry no annotation.
        let sheet = Set(data.labeledIndices)
        #expect(data.proteins.indices.filter { !sheet.contains($0) }.allSatisfy {
            data.proteins[$0].locationText.isEmpty && data.proteins[$0].location == nil
        })
    }

    @Test(arguments: [
        ("SUBCELLULAR LOCATION: Cytoplasm {ECO:0000250}.", "cytoplasm"),
        ("SUBCELLULAR LOCATION: Cell membrane {ECO:0000255|HAMAP-Rule:MF_01234}; Multi-pass membrane protein "
            + "{ECO:0000255}.", "membrane"),
        ("SUBCELLULAR LOCATION: Secreted {ECO:0000269|PubMed:12345678}.", "secreted"),
        ("SUBCELLULAR LOCATION: Secreted, cell wall {ECO:0000269|PubMed:1, ECO:0000269|PubMed:2}. "
            + "Note=Associated with the cell membrane.", "secreted"),
        ("SUBCELLULAR LOCATION: Cytoplasm. Cell membrane; Peripheral membrane protein.", ""),
        ("SUBCELLULAR LOCATION: Cell membrane; Peripheral membrane protein; Cytoplasmic side.", "membrane"),
        ("SUBCELLULAR LOCATION: Cytoplasm, cytosol {ECO:0000305}. Cell wall.", "cytoplasm"),
        ("SUBCELLULAR LOCATION: Cell wall {ECO:0000305}.", ""),
        ("SUBCELLULAR LOCATION: Periplasm.", ""),
        ("", ""),
    ])
    func cleaningRule(text: String, expected: String) {
        #expect((SynthGenerator.cleanedLocation(of: text)?.rawValue ?? "") == expected)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func familySizesAreHeavyTailed(seed: UInt64) {
        let data = small(seed: seed, proteins: 2000, labeled: 100, dimension: 1)
        var sizes: [Int: Int] = [:]
        for p in data.proteins { sizes[p.family, default: 0] += 1 }
        let sorted = sizes.values.sorted(by: >)
        let singletons = sorted.filter { $0 == 1 }.count
        #expect(Double(singletons) / Double(sorted.count) > 0.5)  // most families are singletons
        #expect(Double(sorted[0]) / 2000 >= 0.025)  // a PE/PPE-like giant
        #expect(Double(sorted[0]) / 2000 <= 0.06)
        #expect(sorted.count > 600 && sorted.count < 1600)
        // Members of a family share it without being identical; the giant ones carry PE/PPE-like names.
        #expect(data.proteins.contains { $0.geneNames.hasPrefix("PE_PGRS") })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func sequencesHaveMtbCompositionAndLengths(seed: UInt64) {
        let data = small(seed: seed, proteins: 1000, labeled: 10, dimension: 1)
        var counts: [UInt8: Int] = [:]
        var total = 0
        for p in data.proteins {
            for a in p.sequence.utf8 { counts[a, default: 0] += 1 }
            total += p.sequence.utf8.count
        }
        let share = { (c: Character) in Double(counts[c.asciiValue ?? 0] ?? 0) / Double(total) }
        #expect(share("A") > 0.10)  // GC-rich: alanine is the most common residue
        #expect(share("A") > share("L") && share("G") > share("K") * 3 && share("R") > share("K") * 2)
        for rare: Character in ["C", "W", "K", "N", "M"] { #expect(share(rare) < 0.035, "\(rare)") }
        let lengths = data.proteins.map { $0.sequence.count }.sorted()
        #expect((220...380).contains(lengths[lengths.count / 2]))
        #expect(lengths.first ?? 0 >= 30 && lengths.last ?? 0 <= 1700)
        #expect(Double(lengths.filter { $0 > 600 }.count) / 1000 > 0.05)  // a long tail
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func locationLeavesItsMarkOnSequences(seed: UInt64) {
        let data = small(seed: seed, proteins: 1200, labeled: 10, dimension: 1)
        func proteins(_ l: SynthLocation) -> [SynthProtein] { data.proteins.filter { $0.compartment == l } }
        let cytoplasm = proteins(.cytoplasm)
        let membrane = proteins(.membrane)
        let secreted = proteins(.secreted)
        let whole = { (ps: [SynthProtein]) in mean(ps.map { hydrophobicFraction($0.sequence.utf8) }) }
        let nTerminal = { (ps: [SynthProtein]) in mean(ps.map { hydrophobicFraction($0.sequence.utf8.dropFirst().prefix(30)) }) }
        #expect(whole(membrane) > whole(cytoplasm) + 0.015)
        #expect(nTerminal(secreted) > nTerminal(cytoplasm) + 0.08)
        // Membrane families are longer (one vote per family, so a giant family cannot decide it).
        var familyLengths: [Int: [Double]] = [:]
        var familyCompartments: [Int: [SynthLocation]] = [:]
        for p in data.proteins {
            familyLengths[p.family, default: []].append(Double(p.sequence.count))
            familyCompartments[p.family, default: []].append(p.compartment)
        }
        let medianFamilyLength = { (l: SynthLocation) -> Double in
            let lengths = familyLengths.keys.filter { f in
                let c = familyCompartments[f] ?? []
                return c.filter { $0 == l }.count * 2 > c.count
            }.map { mean(familyLengths[$0] ?? []) }.sorted()
            return lengths.isEmpty ? 0 : lengths[lengths.count / 2]
        }
        #expect(medianFamilyLength(.membrane) > medianFamilyLength(.cytoplasm) * 1.05)
        // Signal peptides end in the AxA cleavage motif; count proteins with one in residues 15–40.
        let axa = { (p: SynthProtein) -> Bool in
            let s = Array(p.sequence.utf8.prefix(40))
            return s.count > 20 && (15..<(s.count - 2)).contains { s[$0] == 65 && s[$0 + 2] == 65 }
        }
        let secretedMotif: Double = Double(secreted.filter(axa).count) / Double(secreted.count)
        let cytoplasmMotif: Double = Double(cytoplasm.filter(axa).count) / Double(cytoplasm.count)
        #expect(secretedMotif > cytoplasmMotif + 0.2)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func embeddingCosinesLookLikeMeanPooledVectors(seed: UInt64) {
        let data = small(seed: seed)
        let view = LabelledView(data)
        let n = view.count
        var homologs: [Float] = []
        var unrelated: [Float] = []
        var closeHomologs: [Float] = []
        var farHomologs: [Float] = []
        for i in 0..<n {
            for j in (i + 1)..<n {
                let s = view.similarities[i * n + j]
                let a = data.proteins[view.indices[i]]
                let b = data.proteins[view.indices[j]]
                if a.family == b.family {
                    homologs.append(s)
                    if a.divergence + b.divergence < 0.3 { closeHomologs.append(s) }
                    if a.divergence + b.divergence > 0.6 { farHomologs.append(s) }
                } else {
                    unrelated.append(s)
                }
            }
        }
        let unrelatedInBand = unrelated.filter { (0.5...0.75).contains($0) }.count
        #expect(Double(unrelatedInBand) / Double(unrelated.count) > 0.85)
        #expect(homologs.count > 100)
        #expect(Double(homologs.filter { $0 > 0.85 }.count) / Double(homologs.count) > 0.7)
        // Similarity falls with divergence.
        let avg = { (xs: [Float]) in xs.reduce(0, +) / Float(max(xs.count, 1)) }
        #expect(!closeHomologs.isEmpty && !farHomologs.isEmpty)
        #expect(avg(closeHomologs) > avg(farHomologs) + 0.03)
        #expect(avg(closeHomologs) > 0.92)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func connectedComponentsAtPointEightGiveManyClusters(seed: UInt64) {
        let view = LabelledView(small(seed: seed))
        let sizes = SynthMath.componentSizes(view.similarities, n: view.count, threshold: 0.8)
        #expect(Double(sizes.count) > 0.35 * Double(view.count))
        #expect(Double(sizes[0]) < 0.25 * Double(view.count))
        #expect(sizes[0] >= 5)  // families do form clusters
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func embeddingsPredictLocationBetterThanCompositionAndHomologsInflateIt(seed: UInt64) {
        let data = small(seed: seed, proteins: 1000, labeled: 700, dimension: 128)
        let view = LabelledView(data)
        let n = view.count
        let d = data.config.dimension
        let labels = view.labels
        let majority = Double((0..<3).map { c in labels.filter { $0 == c }.count }.max() ?? 0) / Double(n)
        let embeddings = (0..<n).map { i in (0..<d).map { Double(view.vectors[i * d + $0]) } }
        let features = view.indices.map { SynthMath.compositionFeatures(data.proteins[$0].sequence) }
        // A linear classifier (ridge, 5-fold) on the vectors against the route's 21 composition features.
        let embeddingAccuracy = SynthMath.ridgeAccuracy(embeddings, labels: labels)
        let compositionAccuracy = SynthMath.ridgeAccuracy(features, labels: labels)
        #expect(embeddingAccuracy > majority + 0.1)
        #expect(embeddingAccuracy > compositionAccuracy + 0.04)
        #expect(compositionAccuracy > majority - 0.02)

        // Leave-one-out kNN on cosine, with and without homologs as neighbours (what a clustered split
        // enforces): homology inflates the score, and location stays learnable above chance without it.
        let family = view.indices.map { data.proteins[$0].family }
        let knn = SynthMath.knnAccuracy(labels: labels, k: 5) { i, j in Double(view.similarities[i * n + j]) }
        let withoutHomologs = SynthMath.knnAccuracy(labels: labels, k: 5) { i, j in
            family[i] == family[j] ? -.infinity : Double(view.similarities[i * n + j])
        }
        #expect(knn > withoutHomologs + 0.05)
        #expect(withoutHomologs > majority)
    }

    @Test func degenerateConfigurationsAreClamped() {
        let empty = SynthGenerator.generate(SynthConfig(proteins: 0, labeled: 5, seed: 1, dimension: 0))
        #expect(empty.proteins.isEmpty && empty.labeledIndices.isEmpty && empty.embeddings.isEmpty)
        #expect(empty.config.dimension == 1 && empty.config.labeled == 0)
        let tiny = SynthGenerator.generate(SynthConfig(proteins: 3, labeled: 10, seed: 1, dimension: 2,
                                                       missingEmbeddingShare: 2))
        #expect(tiny.labeledIndices == [0, 1, 2])
        #expect(tiny.embeddingIDs.isEmpty)
    }
}
