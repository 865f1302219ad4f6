/// Text hygiene for untrusted strings (student output, file contents) before they reach a report.
public enum ReportText {
    /// Removes ANSI escape sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, and two-byte `ESC x`).
    /// - Complexity: O(n).
    public static func strippingANSI(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{1B}") else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                out.append(scalar)
                continue
            }
            guard let kind = scalars.next() else { break }
            switch kind {
            case "[":  // CSI: parameters and intermediates, then one final byte in 0x40...0x7E
                while let s = scalars.next(), !(0x40...0x7E).contains(s.value) {}
            case "]":  // OSC: up to BEL or ESC \
                var previous: Unicode.Scalar = " "
                while let s = scalars.next() {
                    if s == "\u{07}" || (previous == "\u{1B}" && s == "\\") { break }
                    previous = s
                }
            default:
                break  // ESC + one character (e.g. ESC c): drop both
            }
        }
        return String(out)
    }

    /// Shortens `text` to about `maxBytes` UTF-8 bytes, keeping head and tail around a
    /// `…[truncated N bytes]…` marker; never splits a Unicode scalar.
    /// - Complexity: O(maxBytes), independent of the length of `text`.
    public static func truncated(_ text: String, maxBytes: Int) -> String {
        let total = text.utf8.count
        guard total > maxBytes else { return text }
        let budget = max(maxBytes - 40, 2)
        var headEnd = text.unicodeScalars.startIndex
        var headBytes = 0
        for index in text.unicodeScalars.indices {
            let size = UTF8.width(text.unicodeScalars[index])
            if headBytes + size > budget / 2 { break }
            headBytes += size
            headEnd = text.unicodeScalars.index(after: index)
        }
        var tailStart = text.unicodeScalars.endIndex
        var tailBytes = 0
        while tailStart > headEnd {
            let previous = text.unicodeScalars.index(before: tailStart)
            let size = UTF8.width(text.unicodeScalars[previous])
            if tailBytes + size > budget - budget / 2 { break }
            tailBytes += size
            tailStart = previous
        }
        let head = String(text.unicodeScalars[..<headEnd])
        let tail = String(text.unicodeScalars[tailStart...])
        return head + "\n…[truncated \(total - headBytes - tailBytes) bytes]…\n" + tail
    }

    /// Shortens `text` to at most `maxCharacters` characters, ending with `…` when cut.
    public static func clipped(_ text: String, maxCharacters: Int) -> String {
        guard text.count > maxCharacters else { return text }
        return String(text.prefix(max(maxCharacters - 1, 0))) + "…"
    }

    /// Whether `scalar` is allowed in XML 1.0 text (the `Char` production), excluding the discouraged
    /// U+007F–U+009F controls.
    static func isXMLSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// A visible stand-in for a character a report cannot carry: `\u{1B}`.
    static func visibleEscape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// Removes ANSI sequences, then replaces every character outside XML 1.0 `Char` (and U+007F–U+009F)
    /// with a visible `\u{..}` escape. The result can be entity-escaped into any XML text or attribute.
    /// - Complexity: O(n).
    public static func xmlSafe(_ text: String) -> String {
        let stripped = strippingANSI(text)
        guard !stripped.unicodeScalars.allSatisfy(isXMLSafe) else { return stripped }
        var out = ""
        for scalar in stripped.unicodeScalars {
            if isXMLSafe(scalar) { out.unicodeScalars.append(scalar) } else { out += visibleEscape(scalar) }
        }
        return out
    }

    /// Removes ANSI sequences and replaces control characters other than newline and tab, and bidirectional
    /// controls, with visible escapes, so untrusted text cannot move the cursor, recolour or clear a terminal, or
    /// make a reader see it in another order.
    /// - Complexity: O(n).
    public static func terminalSafe(_ text: String) -> String {
        var out = ""
        for scalar in strippingANSI(text).unicodeScalars {
            switch scalar.value {
            case 0x9, 0xA: out.unicodeScalars.append(scalar)
            case 0xD: continue
            case 0x0...0x1F, 0x7F...0x9F, 0x2028, 0x2029: out += visibleEscape(scalar)
            // Bidirectional controls (U+202E "right-to-left override" and kin) reorder what a reader sees.
            case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: out += visibleEscape(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
