/// Accessions, entry names, gene symbols and locus tags in UniProt / H37Rv style.
enum SynthNames {
    private static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    private static let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    private static let digits = Array("0123456789".utf8)
    private static let alnum = upper + digits

    /// `count` distinct accessions: mostly `P9W[A-Z][A-Z0-9][0-9]` (the H37Rv block of UniProt), the rest
    /// `[OPQ][0-9][A-Z0-9]{3}[0-9]`; when the short forms crowd, the 10-character form.
    static func accessions(_ count: Int, rng: inout SynthRNG) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        out.reserveCapacity(count)
        var collisions = 0
        while out.count < count {
            var b: [UInt8]
            if collisions > 64 {  // 10-character form [A-NR-Z][0-9][A-Z][A-Z0-9]{2}[0-9][A-Z][A-Z0-9]{2}[0-9]
                b = [rng.pick(Array("ABCDEFGHIJKLMNRSTUVWXYZ".utf8)), rng.pick(digits)]
                for _ in 0..<2 { b += [rng.pick(upper), rng.pick(alnum), rng.pick(alnum), rng.pick(digits)] }
            } else if collisions < 8 && rng.chance(0.7) {
                b = Array("P9W".utf8) + [rng.pick(upper), rng.pick(alnum), rng.pick(digits)]
            } else {
                b = [rng.pick(Array("OPQ".utf8)), rng.pick(digits), rng.pick(alnum), rng.pick(alnum), rng.pick(alnum),
                     rng.pick(digits)]
            }
            let s = String(decoding: b, as: UTF8.self)
            if seen.insert(s).inserted {
                out.append(s)
                collisions = 0
            } else {
                collisions += 1
            }
        }
        return out
    }

    /// H37Rv-style locus tag for genome position `i`: `Rv0001`, `Rv0002c`, … (`c` on the complement strand).
    static func locusTag(_ i: Int, complement: Bool) -> String {
        let n = String(i + 1)
        return "Rv" + String(repeating: "0", count: max(0, 4 - n.count)) + n + (complement ? "c" : "")
    }

    /// A random three-letter lower-case gene root, e.g. `mmp`.
    static func geneRoot(rng: inout SynthRNG) -> String {
        String(decoding: [rng.pick(lower), rng.pick(lower), rng.pick(lower)], as: UTF8.self)
    }

    /// The `k`-th member symbol of a root: `mmpA`…`mmpZ`, then `mmpA1`, …
    static func memberSymbol(root: String, k: Int) -> String {
        let letter = String(decoding: [upper[k % 26]], as: UTF8.self)
        return k < 26 ? root + letter : root + letter + String(k / 26)
    }
}
