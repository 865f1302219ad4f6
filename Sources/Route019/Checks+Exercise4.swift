import BelayGrading
import Foundation

/// Text measures for the reflection answers. No program judges an essay: these checks catch the missing, the
/// off-topic and the copied, and every result is flagged for an instructor's read with the answers shown.
enum ReflectionText {
    /// Lower-case words and numbers, punctuation removed.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "'") }.map(String.init)
    }

    /// The text as one normalized string of words separated by single spaces, padded with spaces.
    static func normalized(_ text: String) -> String {
        " " + words(text).joined(separator: " ") + " "
    }

    /// Number of sentences: runs ending in `.`, `!` or `?` followed by space or the end, not counting
    /// abbreviations (e.g., i.e., et al., vs.) or decimals; a last run without a stop counts too.
    static func sentenceCount(_ text: String) -> Int {
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

    /// Whether `term` occurs: a trailing `*` matches any word ending; several words match as a phrase.
    static func mentions(_ normalizedText: String, term: String) -> Bool {
        let t = term.lowercased().trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("*") {
            let stem = normalized(String(t.dropLast())).dropLast()  // " stem" without the closing space
            return normalizedText.contains(stem)
        }
        return normalizedText.contains(normalized(t))
    }

    /// Word-set overlap |A ∩ B| / min(|A|, |B|) over words of three letters or more.
    static func overlap(_ a: String, _ b: String) -> Double {
        let sa = Set(words(a).filter { $0.count >= 3 })
        let sb = Set(words(b).filter { $0.count >= 3 })
        guard !sa.isEmpty, !sb.isEmpty else { return 0 }
        return Double(sa.intersection(sb).count) / Double(min(sa.count, sb.count))
    }
}

extension Route019Checks {
    static let readFlag = "reflection-needs-read"

    static func answersShown(_ reflection: Reflection) -> String {
        (1...4).map { q in
            let text = reflection.answers[q].map { $0.isEmpty ? "(empty)" : $0 } ?? "(missing)"
            return "Q\(q): \(text)"
        }.joined(separator: "\n\n")
    }

    static let exercise4: [String: CheckImplementation<Route019Context>] = [
        "ex4.answers.present": { context, _ in
            let reflection: Reflection
            switch context.submission.reflection {
            case .present(let r): reflection = r
            case .absent(let p), .invalid(let p): return unusable(p).flagged(readFlag)
            }
            let present = (1...4).filter { !(reflection.answers[$0] ?? "").isEmpty }
            let missing = (1...4).filter { !present.contains($0) }.map { "Q\($0)" }
            if missing.isEmpty {
                return Verdict.pass("four answers found in \(reflection.source)", details: answersShown(reflection)).flagged(readFlag)
            }
            return Verdict.partial(
                Double(present.count) / 4, "no answer under \(missing.joined(separator: ", ")) in \(reflection.source)",
                details: answersShown(reflection),
                hint: "Put each answer under its own heading line `## Q1`, `## Q2`, `## Q3`, `## Q4`."
            ).flagged(readFlag)
        },

        "ex4.answers.length": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            let tolerance = try spec.int("tolerance", default: 1)
            let low = try spec.int("min_sentences", default: 2) - tolerance
            let high = try spec.int("max_sentences", default: 3) + tolerance
            var off: [String] = []
            var counts: [String] = []
            for q in 1...4 {
                let n = ReflectionText.sentenceCount(reflection.answers[q] ?? "")
                counts.append("Q\(q): \(n)")
                if n < max(1, low) || n > high { off.append("Q\(q) has \(plural(n, "sentence"))") }
            }
            let details = "Sentences per answer: " + counts.joined(separator: ", ")
            if off.isEmpty { return Verdict.pass("every answer is a few sentences long", details: details).flagged(readFlag) }
            return Verdict.partial(
                Double(4 - off.count) / 4, off.joined(separator: "; "), details: details,
                hint: "Answer each question in two or three full sentences: enough to explain, short enough to stay on the point."
            ).flagged(readFlag)
        },

        "ex4.answers.concepts": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            let need = try spec.int("min_groups", default: 2)
            var weak: [String] = []
            var lines: [String] = []
            for q in 1...4 {
                let groups = try spec.stringLists("q\(q)")
                let text = ReflectionText.normalized(reflection.answers[q] ?? "")
                let touched = groups.filter { group in group.contains { ReflectionText.mentions(text, term: $0) } }
                lines.append("Q\(q): \(touched.count) of \(groups.count) concept groups touched")
                if touched.count < need { weak.append("Q\(q)") }
            }
            if weak.isEmpty {
                return Verdict.pass("each answer touches its question's concepts", details: lines.joined(separator: "\n"))
                    .flagged(readFlag)
            }
            return Verdict.partial(
                Double(4 - weak.count) / 4, "\(weak.joined(separator: ", ")) \(weak.count == 1 ? "says" : "say") little about what the question asks",
                details: lines.joined(separator: "\n"),
                hint:
                    "Use the route's own terms: what reaches the test set, why related proteins matter, what split and baseline a claim rests on."
            ).flagged(readFlag)
        },

        "ex4.answers.original": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            let maxOverlap = try spec.number("max_overlap", default: 0.8)
            var problems: [String] = []
            for q in 1...4 {
                guard let answer = reflection.answers[q], !answer.isEmpty else { continue }
                let question = (try? spec.string("q\(q)_question")) ?? ""
                if !question.isEmpty, ReflectionText.words(answer).count <= ReflectionText.words(question).count + 3,
                    ReflectionText.overlap(answer, question) >= maxOverlap
                {
                    problems.append("Q\(q) repeats the question")
                }
                for other in (q + 1)..<5 {
                    guard let second = reflection.answers[other], !second.isEmpty else { continue }
                    if ReflectionText.overlap(answer, second) >= maxOverlap {
                        problems.append("Q\(q) and Q\(other) are nearly the same text")
                    }
                }
            }
            if problems.isEmpty { return Verdict.pass("four distinct answers in the student's own words").flagged(readFlag) }
            return Verdict.fail(
                problems.joined(separator: "; "), details: answersShown(reflection),
                hint: "Each question asks something different; answer it in your own words."
            ).flagged(readFlag)
        },
    ]
}
