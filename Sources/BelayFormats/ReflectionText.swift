import Foundation

/// Text measures for reflection answers, the same in every route: words, concept terms, overlap and sentences.
/// No program judges an essay; these measures let checks catch the missing, the off-topic and the copied.
public enum ReflectionText {
    /// Lower-case words and numbers; every other character separates words, so `train/test` is two words and
    /// `66.7%` is `66` `7` (a concept term is split the same way, so `2/3` and `0.66*` still match as phrases).
    public static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "'") }.map(String.init)
    }

    /// The text as one string of words separated by single spaces, padded with spaces.
    public static func normalized(_ text: String) -> String {
        " " + words(text).joined(separator: " ") + " "
    }

    /// Whether `term` occurs in `normalizedText` (from ``normalized(_:)``): a trailing `*` matches any word
    /// ending; several words match as a phrase.
    public static func mentions(_ normalizedText: String, term: String) -> Bool {
        let t = term.lowercased().trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("*") {
            let stem = normalized(String(t.dropLast())).dropLast()  // " stem" without the closing space
            return normalizedText.contains(stem)
        }
        return normalizedText.contains(normalized(t))
    }

    /// Word-set overlap |A ∩ B| / min(|A|, |B|) over words of three letters or more.
    public static func overlap(_ a: String, _ b: String) -> Double {
        let sa = Set(words(a).filter { $0.count >= 3 })
        let sb = Set(words(b).filter { $0.count >= 3 })
        guard !sa.isEmpty, !sb.isEmpty else { return 0 }
        return Double(sa.intersection(sb).count) / Double(min(sa.count, sb.count))
    }

    /// Number of sentences: runs ending in `.`, `!` or `?` followed by space or the end, not counting
    /// abbreviations (e.g., i.e., et al., vs.) or decimals; a last run without a stop counts too.
    public static func sentenceCount(_ text: String) -> Int {
        var cleaned = text.replacingOccurrences(of: "\n", with: " ")
        for abbreviation in ["e.g.", "i.e.", "et al.", "etc.", "vs.", "cf.", "approx.", "fig.", "Fig.", "e. g.", "i. e."] {
            cleaned = cleaned.replacingOccurrences(of: abbreviation, with: "ABBR")
        }
        // Markdown list items and headings are separate statements even without a full stop.
        let chars = Array(cleaned)
        var count = 0
        var hasContent = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isLetter || c.isNumber { hasContent = true }
            if (c == "." || c == "!" || c == "?") && hasContent {
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                if next == " " || next == "\"" || next == ")" || next == "*" || i + 1 == chars.count {
                    count += 1
                    hasContent = false
                }
            }
            i += 1
        }
        if hasContent { count += 1 }
        return count
    }
}
