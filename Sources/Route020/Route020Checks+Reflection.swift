import BelayGrading
import Foundation

// MARK: - Step 4: the reflection
//
// No program judges an essay: these checks catch the missing, the off-topic and the copied, and every result is
// flagged for an instructor's read with the answers shown. The concept lists live in the rubric.

/// Text measures for the reflection answers (the same rules as Route 019's).
enum AnswerText {
    /// Lower-case words and numbers, punctuation removed (`2/3` and `66.7%` keep their digits).
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "'" || $0 == "/" || $0 == ".") }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".")) }.filter { !$0.isEmpty }
    }

    /// The text as one string of words separated by single spaces, padded with spaces.
    static func normalized(_ text: String) -> String { " " + words(text).joined(separator: " ") + " " }

    /// Whether `term` occurs: a trailing `*` matches any word ending; several words match as a phrase.
    static func mentions(_ normalizedText: String, term: String) -> Bool {
        let t = term.lowercased().trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("*") {
            let stem = normalized(String(t.dropLast())).dropLast()
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

extension Route020Checks {
    static let readFlag = "reflection-needs-read"
    static let questionCount = 3

    static func answersShown(_ reflection: ReflectionAnswers) -> String {
        (1...questionCount).map { q in
            let text = reflection.answers[q].map { $0.isEmpty ? "(empty)" : $0 } ?? "(missing)"
            return "Q\(q): \(text)"
        }.joined(separator: "\n\n")
    }

    static let reflectionChecks: [String: CheckImplementation<Route020Context>] = [
        "reflection.present": { context, _ in
            let reflection: ReflectionAnswers
            switch context.submission.reflection {
            case .present(let r): reflection = r
            case .absent(let p), .invalid(let p): return unusable(p).flagged(readFlag)
            }
            let present = (1...questionCount).filter { !(reflection.answers[$0] ?? "").isEmpty }
            let missing = (1...questionCount).filter { !present.contains($0) }.map { "Q\($0)" }
            if missing.isEmpty {
                return Verdict.pass("three answers found in \(reflection.source)", details: answersShown(reflection))
                    .flagged(readFlag)
            }
            return Verdict.partial(
                Double(present.count) / Double(questionCount),
                "no answer under \(missing.joined(separator: ", ")) in \(reflection.source)",
                details: answersShown(reflection),
                hint: "Put each answer under its own heading line `## Q1`, `## Q2`, `## Q3`."
            ).flagged(readFlag)
        },

        "reflection.concepts": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            let need = try spec.int("min_groups", default: 2)
            var weak: [String] = []
            var lines: [String] = []
            for q in 1...questionCount {
                let groups = try spec.stringLists("q\(q)")
                let text = AnswerText.normalized(reflection.answers[q] ?? "")
                let touched = groups.filter { group in group.contains { AnswerText.mentions(text, term: $0) } }
                lines.append("Q\(q): \(touched.count) of \(groups.count) concept groups touched")
                if touched.count < need { weak.append("Q\(q)") }
            }
            if weak.isEmpty {
                return Verdict.pass("each answer touches its question's concepts", details: lines.joined(separator: "\n"))
                    .flagged(readFlag)
            }
            return Verdict.partial(
                Double(questionCount - weak.count) / Double(questionCount),
                "\(weak.joined(separator: ", ")) \(weak.count == 1 ? "says" : "say") little about what the question asks",
                details: lines.joined(separator: "\n"),
                hint: "Use your curve: where it stays flat and why (most labels still right, errors spread over classes), "
                    + "where it falls (the true class no longer the most common label), and what the test labels are for."
            ).flagged(readFlag)
        },

        "reflection.original": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            let maxOverlap = try spec.number("max_overlap", default: 0.8)
            var problems: [String] = []
            for q in 1...questionCount {
                guard let answer = reflection.answers[q], !answer.isEmpty else { continue }
                let question = try spec.string("q\(q)_question", default: "")
                if !question.isEmpty, AnswerText.words(answer).count <= AnswerText.words(question).count + 3,
                    AnswerText.overlap(answer, question) >= maxOverlap
                {
                    problems.append("Q\(q) repeats the question")
                }
                for other in (q + 1)...(questionCount + 1) where other <= questionCount {
                    guard let second = reflection.answers[other], !second.isEmpty else { continue }
                    if AnswerText.overlap(answer, second) >= maxOverlap {
                        problems.append("Q\(q) and Q\(other) are nearly the same text")
                    }
                }
            }
            if problems.isEmpty {
                return Verdict.pass("three distinct answers in the student's own words").flagged(readFlag)
            }
            return Verdict.fail(
                problems.joined(separator: "; "), details: answersShown(reflection),
                hint: "Each question asks something different; answer it in your own words."
            ).flagged(readFlag)
        },
    ]
}
