// Exercise 0 of Route 019: the 21 composition features of a protein sequence.
//
// The course computes, per protein, `len(seq)` and `seq.count(aa)` for each of the 20 standard amino acids
// (pandas on UniProt sequences). On a clean upper-case UniProt sequence this file gives exactly those numbers.
// On messier input it applies a small set of documented rules (see `sequenceFeatures(_:)`).

/// The amino-acid alphabet the route counts.
public enum AminoAcids {
    /// The 20 standard amino acids in alphabetical one-letter order, `ACDEFGHIKLMNPQRSTVWY`:
    /// the order of `SequenceFeatures.counts` and of the feature columns 2...21.
    public static let standard: [Character] = Array("ACDEFGHIKLMNPQRSTVWY")

    /// Feature column names in `SequenceFeatures.asDoubles` order: `length`, then the 20 letters.
    public static let featureNames: [String] = ["length"] + standard.map { String($0) }

    /// Index of an upper-case ASCII letter in `standard`, or nil; a 26-entry table for O(1) lookup.
    static let indexOfLetter: [Int?] = {
        var table = [Int?](repeating: nil, count: 26)
        for (i, c) in standard.enumerated() {
            if let a = c.asciiValue { table[Int(a) - 65] = i }
        }
        return table
    }()
}

/// Length and amino-acid composition of one protein sequence (Exercise 0's 21 features).
public struct SequenceFeatures: Sendable, Equatable, Hashable {
    /// Number of residues: every non-whitespace character except one terminal `*` (see `sequenceFeatures(_:)`).
    public var length: Int
    /// Occurrences of each of the 20 standard amino acids, in `AminoAcids.standard` order.
    public var counts: [Int]

    /// Creates features from a length and 20 counts.
    public init(length: Int, counts: [Int]) {
        precondition(counts.count == AminoAcids.standard.count, "expected 20 counts, got \(counts.count)")
        self.length = length
        self.counts = counts
    }

    /// The 21 feature values: length first, then the 20 counts, as `Double` (a classifier's input row).
    public var asDoubles: [Double] { [Double(length)] + counts.map(Double.init) }

    /// Number of non-standard residues (X, B, Z, U, O, J, `-`, digits, ...): `length` minus the 20 counts.
    public var nonStandardCount: Int { length - counts.reduce(0, +) }
}

/// Computes the 21 composition features of a protein sequence.
///
/// Rules, chosen so that a clean upper-case UniProt sequence gives exactly pandas' `len(seq)` and
/// `seq.count(aa)`, and so that formatting noise cannot change the numbers:
/// - whitespace anywhere (spaces, tabs, line breaks of a FASTA body) is ignored;
/// - lower-case letters count as their upper-case letters (`"acd"` == `"ACD"`);
/// - one terminal `*` (a translated stop codon), after any trailing whitespace, is ignored; it is not a residue;
/// - every other character (Unicode scalar) counts towards `length`, and towards a count only if it is one of the 20 standard
///   letters. So the ambiguity and rare codes X, B, Z, J, U (selenocysteine) and O (pyrrolysine) lengthen the
///   protein without adding to any count, and so do gap `-`, digits or an internal `*`, exactly as `len(seq)`
///   would count them. Such characters are not valid sequence letters; callers that want to reject them can
///   look at `SequenceFeatures.nonStandardCount`.
///
/// - Complexity: O(n) in the number of characters.
public func sequenceFeatures(_ sequence: String) -> SequenceFeatures {
    // Fast path: plain ASCII (every real sequence), one table lookup per byte.
    var copy = sequence
    if let fast = copy.withUTF8({ asciiFeatures($0) }) { return fast }
    return unicodeFeatures(sequence)
}

/// Byte classes for `asciiFeatures`: 0...19 amino-acid index, 20 other residue, 21 whitespace, 22 `*`, 23 non-ASCII.
private let byteClass: [UInt8] = {
    var table = [UInt8](repeating: 20, count: 256)
    for b in 128..<256 { table[b] = 23 }
    for b: UInt8 in [9, 10, 11, 12, 13, 32] { table[Int(b)] = 21 }
    table[Int(UInt8(ascii: "*"))] = 22
    for (i, letter) in AminoAcids.standard.enumerated() {
        guard let ascii = letter.asciiValue else { continue }
        table[Int(ascii)] = UInt8(i)
        table[Int(ascii) + 32] = UInt8(i)  // lower case
    }
    return table
}()

/// The same rules as `unicodeFeatures` over ASCII bytes: calls `count` with each standard residue's index and
/// returns the length, or nil when a byte is not ASCII (the caller then falls back to `unicodeFeatures`).
@inline(__always)
private func scanASCII<Bytes: Sequence<UInt8>>(_ bytes: Bytes, count: (Int) -> Void) -> Int? {
    var length = 0
    var pendingStar = false
    for byte in bytes {
        let c = byteClass[Int(byte)]
        switch c {
        case 21: continue
        case 23: return nil
        case 22:
            if pendingStar { length += 1 }
            pendingStar = true
            continue
        default:
            if pendingStar {
                length += 1
                pendingStar = false
            }
            length += 1
            if c < 20 { count(Int(c)) }
        }
    }
    return length
}

/// `scanASCII` into a `SequenceFeatures`.
private func asciiFeatures(_ bytes: UnsafeBufferPointer<UInt8>) -> SequenceFeatures? {
    var counts = [Int](repeating: 0, count: 20)
    guard let length = scanASCII(bytes, count: { counts[$0] += 1 }) else { return nil }
    return SequenceFeatures(length: length, counts: counts)
}

/// Features over Unicode scalars (any text: non-ASCII whitespace is ignored, other characters count to length).
private func unicodeFeatures(_ sequence: String) -> SequenceFeatures {
    var counts = [Int](repeating: 0, count: AminoAcids.standard.count)
    var length = 0
    var pendingStar = false  // a `*` seen but not yet counted: it is terminal unless a residue follows
    for scalar in sequence.unicodeScalars {
        if scalar.properties.isWhitespace { continue }
        if pendingStar {
            length += 1
            pendingStar = false
        }
        if scalar == "*" {
            pendingStar = true
            continue
        }
        length += 1
        var v = scalar.value
        if v >= 97 && v <= 122 { v -= 32 }  // ASCII lower case -> upper case
        if v >= 65 && v <= 90, let index = AminoAcids.indexOfLetter[Int(v) - 65] {
            counts[index] += 1
        }
    }
    return SequenceFeatures(length: length, counts: counts)
}

/// Features of many sequences as one row-major `rows x 21` matrix (length, then the 20 counts).
///
/// - Complexity: O(total characters).
public func featureMatrix(_ sequences: [String]) -> [Double] {
    var x: [Double] = []
    x.reserveCapacity(sequences.count * 21)
    for s in sequences { appendFeatureRow(s, to: &x) }
    return x
}

/// Appends the 21 feature values of `sequence` (as `sequenceFeatures(_:).asDoubles` gives them) to a row-major
/// matrix, counting straight into the matrix: no per-row array when the sequence is ASCII.
///
/// - Complexity: O(n) in the number of characters.
public func appendFeatureRow(_ sequence: String, to matrix: inout [Double]) {
    let start = matrix.count
    matrix.append(contentsOf: repeatElement(0, count: 21))
    let done = sequence.utf8.withContiguousStorageIfAvailable { bytes in
        matrix.withUnsafeMutableBufferPointer { m in
            guard let length = scanASCII(bytes, count: { m[start + 1 + $0] += 1 }) else { return false }
            m[start] = Double(length)
            return true
        }
    } ?? false
    if !done {
        matrix.removeLast(21)
        matrix.append(contentsOf: sequenceFeatures(sequence).asDoubles)
    }
}
