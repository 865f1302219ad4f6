import Foundation

/// Mean-pooled-language-model-like vectors built from named components.
///
/// Each protein's vector is a sum of (squared weights are shares of the expected squared norm, about 1):
/// - a **shared** direction (0.58, jittered ±4% per protein): what every mean-pooled embedding has in common,
///   which puts unrelated proteins at cosine about 0.55–0.7;
/// - a **family** direction (0.22): homologs share it, so members sit at cosine 0.85–0.99, lower for more
///   divergent members;
/// - a **location** vector (0.07) in a 6-dimensional subspace: the class mean plus a family-specific offset of
///   similar size, so location is learnable across families only partly and much better within a family
///   (which is what makes random splits look better than clustered ones);
/// - a **composition** image (0.06): a fixed random linear map of the standardised 21 features (log length and
///   the 20 residue fractions), so the vectors carry at least what the route's hand-made features carry;
/// - **sequence signals** (up to 0.03): directions for transmembrane-helix count and signal peptides actually
///   present in the sequence;
/// - **noise** (0.012 + 0.2 × divergence): member-specific, the only part homologs do not share.
enum SynthEmbeddings {
    static let shared: Float = 0.58
    static let family: Float = 0.22
    static let location: Float = 0.07
    static let composition: Float = 0.06
    static let signals: Float = 0.03
    static let noiseFloor: Float = 0.012
    static let noisePerDivergence: Float = 0.2
    static let locationSubspace = 6
    static let locationMean: Double = 0.9
    static let locationSpread: Double = 1.0

    /// What the embedding of one protein is built from.
    struct Inputs {
        var family: Int
        var locationVector: [Double]  // locationSubspace values
        var features: [Double]  // 21 standardised features
        var helices: Int
        var signalPeptide: Bool
        var lipobox: Bool
        var divergence: Double
    }

    /// A unit vector of `n` normals.
    static func unitVector(_ n: Int, rng: inout SynthRNG) -> [Float] {
        var v = (0..<n).map { _ in rng.normal() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for i in v.indices { v[i] /= norm } }
        return v.map { Float($0) }
    }

    /// `count` orthonormal vectors of width `n` (Gram–Schmidt on normals; when `count > n` the extra ones are
    /// merely unit vectors).
    static func orthonormal(_ count: Int, _ n: Int, rng: inout SynthRNG) -> [[Float]] {
        var basis: [[Double]] = []
        for _ in 0..<count {
            var v = (0..<n).map { _ in rng.normal() }
            if basis.count < n {
                for b in basis {
                    var dot = 0.0
                    for i in 0..<n { dot += v[i] * b[i] }
                    for i in 0..<n { v[i] -= dot * b[i] }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            basis.append(norm > 0 ? v.map { $0 / norm } : v)
        }
        return basis.map { $0.map { Float($0) } }
    }

    /// The location vector of a family (or relocated member) in `location`: the class mean (an axis of the
    /// subspace) plus a Gaussian offset.
    static func locationVector(_ location: SynthLocation, rng: inout SynthRNG) -> [Double] {
        (0..<locationSubspace).map { k in
            (k == location.index ? locationMean : 0) + locationSpread * rng.normal()
        }
    }

    /// Fills `output` (row-major, `rows.count × dimension`) with the vectors of the proteins `rows` index.
    /// - Complexity: O(rows × dimension × 21).
    static func build(
        inputs: [Inputs], rows: [Int], families: Int, dimension d: Int, rng: inout SynthRNG
    ) -> [Float] {
        var global = rng.fork(0xE1)
        let sharedDir = unitVector(d, rng: &global)
        let locationBasis = orthonormal(locationSubspace, d, rng: &global)
        let signalBasis = orthonormal(3, d, rng: &global)
        // Composition map: 21 columns of length d, each about unit norm.
        let compositionMap = (0..<21).map { _ in unitVector(d, rng: &global) }
        var familyRNG = rng.fork(0xF4)
        let familyDirs = (0..<families).map { _ in unitVector(d, rng: &familyRNG) }
        let locScale = Float((Double(location) / (locationMean * locationMean
            + Double(locationSubspace) * locationSpread * locationSpread)).squareRoot())
        let compScale = Float((Double(composition) / 21).squareRoot())
        let signalScale = signals.squareRoot()
        let familyScale = family.squareRoot()
        let invSqrtD = 1 / Float(d).squareRoot()

        var out = [Float](repeating: 0, count: rows.count * d)
        out.withUnsafeMutableBufferPointer { buffer in
            for (row, i) in rows.enumerated() {
                let input = inputs[i]
                var prng = rng.fork(0x1_0000 + UInt64(i))
                let base = row * d
                let a = shared.squareRoot() * (1 + 0.04 * Float(prng.normal()))
                let fam = familyDirs[input.family]
                for k in 0..<d { buffer[base + k] = a * sharedDir[k] + familyScale * fam[k] }
                for (j, basis) in locationBasis.enumerated() {
                    let w = locScale * Float(input.locationVector[j])
                    for k in 0..<d { buffer[base + k] += w * basis[k] }
                }
                for (j, column) in compositionMap.enumerated() {
                    let w = compScale * Float(input.features[j])
                    for k in 0..<d { buffer[base + k] += w * column[k] }
                }
                let signalWeights: [Float] = [
                    Float(min(input.helices, 10)) / 10, input.signalPeptide ? 1 : 0, input.lipobox ? 1 : 0,
                ]
                for (j, basis) in signalBasis.enumerated() where signalWeights[j] != 0 {
                    let w = signalScale * signalWeights[j]
                    for k in 0..<d { buffer[base + k] += w * basis[k] }
                }
                let noise = (noiseFloor + noisePerDivergence * Float(input.divergence)).squareRoot() * invSqrtD
                for k in 0..<d { buffer[base + k] += noise * Float(prng.normal()) }
            }
        }
        return out
    }
}
