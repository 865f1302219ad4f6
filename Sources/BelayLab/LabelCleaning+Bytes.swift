// The one-pass byte path of `LabelCleaner`: the same rules as `referenceClean(uniprotLocation:)` and
// `referenceClean(goTerms:)`, over a row's UTF-8 bytes, with no per-row `String`.
//
// It applies when the text is ASCII (Character and byte are then the same, but for CRLF, which only whitespace
// rules see) and the mapping is all `exact` rules over ASCII terms whose labels are distinct classes (route019's
// is). Anything else returns nil and the caller takes the reference path.

/// A `LocationMapping` of exact rules as byte tables: rule terms lower-cased, bucketed by length, each with the
/// bit set of the classes it votes for.
struct CompiledLocationMapping: Sendable {
    /// `buckets[n]`: the rule terms of `n` bytes and their class bits.
    let buckets: [[(term: [UInt8], mask: UInt64)]]
    let classes: [String]

    init?(_ mapping: LocationMapping) {
        let classes = mapping.classes
        guard classes.count <= 64, Set(classes).count == classes.count else { return nil }
        var masks: [[UInt8]: UInt64] = [:]
        for rule in mapping.rules {
            guard rule.match == .exact, let index = classes.firstIndex(of: rule.label),
                rule.term.utf8.allSatisfy({ $0 < 128 })
            else { return nil }
            masks[rule.term.utf8.map(lowerASCII), default: 0] |= 1 << UInt64(index)
        }
        var buckets = [[(term: [UInt8], mask: UInt64)]](repeating: [], count: (masks.keys.map(\.count).max() ?? 0) + 1)
        for (term, mask) in masks { buckets[term.count].append((term, mask)) }
        self.buckets = buckets
        self.classes = classes
    }

    /// The class bits the exact rules give `bytes[range]` (compared case-insensitively).
    func mask(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        guard range.count < buckets.count else { return 0 }
        var result: UInt64 = 0
        candidates: for (term, mask) in buckets[range.count] {
            var j = 0
            for i in range {
                if lowerASCII(bytes[i]) != term[j] { continue candidates }
                j += 1
            }
            result |= mask
        }
        return result
    }

    /// `labels(forLocationTerm:)` as bits: the whole term, else its part before the first comma.
    func locationMask(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        let whole = mask(bytes, range)
        guard whole == 0, let comma = range.first(where: { bytes[$0] == UInt8(ascii: ",") }) else { return whole }
        let head = trimmed(bytes, range.lowerBound..<comma)
        return head.isEmpty ? 0 : mask(bytes, head)
    }

    func outcome(_ bits: UInt64) -> LabelOutcome {
        switch bits.nonzeroBitCount {
        case 0: return .missing
        case 1: return .label(classes[bits.trailingZeroBitCount])
        default: return .ambiguous(classes.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { classes[$0] })
        }
    }

    /// `referenceClean(uniprotLocation:)`, or nil when `text` is not contiguous ASCII.
    func outcome(uniprotLocation text: String) -> LabelOutcome? {
        guard let bits = text.utf8.withContiguousStorageIfAvailable({ raw -> UInt64? in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, raw.count)) { plain in
                // Evidence tags `{...}` out (nesting counted; an unbalanced `{` drops the rest), ASCII checked.
                var n = 0, depth = 0
                for b in raw {
                    if b >= 128 { return nil }
                    if b == UInt8(ascii: "{") { depth += 1 }
                    else if b == UInt8(ascii: "}"), depth > 0 { depth -= 1 }
                    else if depth == 0 { plain[n] = b; n += 1 }
                }
                let bytes = UnsafeBufferPointer(rebasing: plain[0..<n])
                var bits: UInt64 = 0
                // Blocks between occurrences of `SUBCELLULAR LOCATION:` (case-insensitive).
                var blockStart = 0
                while true {
                    let marker = find(Self.locationMarker, in: bytes, from: blockStart)
                    bits |= blockMask(bytes, blockStart..<(marker ?? n))
                    guard let marker else { break }
                    blockStart = marker + Self.locationMarker.count
                }
                return bits
            }
        }) else { return nil }
        return bits.map { outcome($0) }
    }

    /// The votes of one `SUBCELLULAR LOCATION:` block: up to `Note=`, isoform prefix dropped, split on `;` `.`.
    func blockMask(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var end = range.upperBound
        if let note = find(Self.noteMarker, in: UnsafeBufferPointer(rebasing: bytes[..<end]), from: range.lowerBound) {
            end = note
        }
        var block = trimmed(bytes, range.lowerBound..<end)
        if let first = block.first, bytes[first] == UInt8(ascii: "["),
            let close = block.first(where: { bytes[$0] == UInt8(ascii: "]") }) {
            block = trimmed(bytes, (close + 1)..<block.upperBound)
            if let first = block.first, bytes[first] == UInt8(ascii: ":") { block = (first + 1)..<block.upperBound }
        }
        var bits: UInt64 = 0
        var start = block.lowerBound
        for i in block.lowerBound...block.upperBound {
            guard i == block.upperBound || bytes[i] == UInt8(ascii: ";") || bytes[i] == UInt8(ascii: ".") else { continue }
            let term = trimmed(bytes, start..<i)
            if !term.isEmpty { bits |= locationMask(bytes, term) }
            start = i + 1
        }
        return bits
    }

    /// `referenceClean(goTerms:)`, or nil when `text` is not contiguous ASCII.
    func outcome(goTerms text: String) -> LabelOutcome? {
        guard let bits = text.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64? in
            var bits: UInt64 = 0
            var start = 0
            for i in 0...bytes.count {
                if i < bytes.count {
                    if bytes[i] >= 128 { return nil }
                    if bytes[i] != UInt8(ascii: ";") { continue }
                }
                // One `;`-separated part: cut at its last `[GO:`, trim, vote.
                var end = i
                var p = i - Self.goMarker.count
                while p >= start {
                    if (0..<Self.goMarker.count).allSatisfy({ bytes[p + $0] == Self.goMarker[$0] }) { end = p; break }
                    p -= 1
                }
                let name = trimmed(bytes, start..<end)
                if !name.isEmpty { bits |= mask(bytes, name) }
                start = i + 1
            }
            return bits
        }) else { return nil }
        return bits.map { outcome($0) }
    }

    static let locationMarker = Array("subcellular location:".utf8)
    static let noteMarker = Array("note=".utf8)
    static let goMarker = Array("[GO:".utf8)
}

@inline(__always) func lowerASCII(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

/// Whitespace as `Character.isWhitespace` sees it in ASCII: tab, line feed, vertical tab, form feed, return, space.
@inline(__always) func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }

/// `range` without leading and trailing ASCII whitespace.
func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    var lo = range.lowerBound, hi = range.upperBound
    while lo < hi, isASCIIWhitespace(bytes[lo]) { lo += 1 }
    while hi > lo, isASCIIWhitespace(bytes[hi - 1]) { hi -= 1 }
    return lo..<hi
}

/// First position at or after `from` where the lower-case ASCII `needle` occurs, case-insensitively.
func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    guard let first = needle.first, bytes.count >= needle.count else { return nil }
    var i = from
    while i + needle.count <= bytes.count {
        if lowerASCII(bytes[i]) == first {
            var j = 1
            while j < needle.count, lowerASCII(bytes[i + j]) == needle[j] { j += 1 }
            if j == needle.count { return i }
        }
        i += 1
    }
    return nil
}
