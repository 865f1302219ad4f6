public import Foundation

/// Answers in Markdown under headings that name a question, as reflections are written: `## Q1`, `### Q2: …`,
/// `# Question 3`, `## q.4`, or a bold line `**Q1**` (any heading level). An answer runs to the next heading of
/// the same or a higher level, or to the next question. HTML comments are not answers: a template's prompts
/// (`<!-- What is data leakage? -->`) are removed first. Every route's reflection reads answers this way.
public enum MarkdownAnswers {
    /// The answers to the questions numbered in `questions`, keyed by number (the first answer to a number wins).
    public static func answers(markdown: String, questions: ClosedRange<Int>) -> [Int: String] {
        let markdown = strippingComments(markdown)
        var answers: [Int: String] = [:]
        var current: Int?
        var currentLevel = 0
        var buffer: [String] = []
        func flush() {
            if let q = current, answers[q] == nil {
                answers[q] = buffer.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            buffer = []
        }
        for rawLine in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let (level, title, rest) = heading(trimmed) {
                if let q = questionNumber(title, questions: 0...99) {
                    // Another question, even one not asked (`## Q5` of four), ends the answer before it.
                    flush()
                    current = questions.contains(q) ? q : nil
                    currentLevel = level
                    if current != nil, !rest.isEmpty { buffer.append(rest) }  // `**Q1.** The answer starts here`
                    continue
                }
                if current != nil, level < 7, level <= currentLevel {  // a bold line inside an answer never ends it
                    flush()
                    current = nil
                    continue
                }
            }
            if current != nil { buffer.append(line) }
        }
        flush()
        return answers
    }

    /// A heading's level, title and the rest of its line: `## Title` is level 2 (no rest); a line that starts
    /// bold (`**Title**`, `**Q1.** the answer…`) counts as a heading below every `#` level (7), its bold part the
    /// title and the text after it the rest, which belongs to the answer. Nil for other lines.
    static func heading(_ trimmed: String) -> (level: Int, title: String, rest: String)? {
        if trimmed.hasPrefix("#") {
            let level = trimmed.prefix { $0 == "#" }.count
            return (level, trimmed.dropFirst(level).trimmingCharacters(in: .whitespaces), "")
        }
        if trimmed.hasPrefix("**") {
            let inner = trimmed.dropFirst(2)
            guard let close = inner.range(of: "**") else { return nil }
            return (
                7, inner[..<close.lowerBound].trimmingCharacters(in: .whitespaces),
                inner[close.upperBound...].trimmingCharacters(in: .whitespaces)
            )
        }
        return nil
    }

    /// The question a heading title names (`Q1`, `q 2`, `Q.3`, `Question 4: …`) when it is in `questions`.
    static func questionNumber(_ title: String, questions: ClosedRange<Int>) -> Int? {
        var rest = Substring(title.lowercased())
        if rest.hasPrefix("question") {
            rest = rest.dropFirst("question".count)
        } else if rest.hasPrefix("q") {
            rest = rest.dropFirst()
        } else {
            return nil
        }
        rest = rest.drop { $0 == " " || $0 == "." }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let n = Int(digits), questions.contains(n) else { return nil }
        if let after = rest.dropFirst(digits.count).first, after.isLetter || after.isNumber { return nil }
        return n
    }

    /// The text without HTML comments. An unclosed comment runs to the end of the text.
    ///
    /// - Complexity: O(*n*) in the length of `text`: one pass over its UTF-8 bytes (the delimiters are ASCII,
    ///   which never occurs inside a multi-byte character). Removing comments one at a time with Foundation's
    ///   `range(of:)` was quadratic: 2 MiB of `<!---->` took minutes, a 64 MiB one would take days.
    public static func strippingComments(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let open = Array("<!--".utf8), close = Array("-->".utf8)
        func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
            offset + pattern.count <= bytes.count && bytes[offset..<offset + pattern.count].elementsEqual(pattern)
        }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var offset = 0
        while offset < bytes.count {
            guard matches(open, at: offset) else {
                kept.append(bytes[offset])
                offset += 1
                continue
            }
            var end = offset + open.count
            while end < bytes.count, !matches(close, at: end) { end += 1 }
            offset = end + close.count
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
