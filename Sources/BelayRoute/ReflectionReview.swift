public import BelayGrading
import BelayFormats

/// The reflection checks every route shares: are the answers there, do they touch their questions' concepts, are
/// they the student's own. No program judges an essay: these catch the missing, the off-topic and the copied, and
/// every verdict is flagged (``readFlag``) for an instructor's read with the answers shown. A route's check
/// implementations call these with its own reflection's answers and the check's spec (the concept lists live in
/// the rubric).
public struct ReflectionReview: Sendable {
    /// The flag on every reflection verdict: an instructor reads the answers.
    public static let readFlag = "reflection-needs-read"

    /// Answers by question number (``BelayFormats/MarkdownAnswers``).
    public var answers: [Int: String]
    /// Where they were read, e.g. `reflection.md` or the notebook's name.
    public var source: String
    /// The questions asked, e.g. `1...4`.
    public var questions: ClosedRange<Int>

    /// A review of `answers` read from `source`, to `questions`.
    public init(answers: [Int: String], source: String, questions: ClosedRange<Int>) {
        self.answers = answers
        self.source = source
        self.questions = questions
    }

    /// "Q1: …" per question, blank-line separated, `(empty)` or `(missing)` where there is no answer.
    public var answersShown: String {
        questions.map { q in
            let text = answers[q].map { $0.isEmpty ? "(empty)" : $0 } ?? "(missing)"
            return "Q\(q): \(text)"
        }.joined(separator: "\n\n")
    }

    /// "four", "three": the number of questions in words (digits above ten).
    var countWord: String {
        let words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        return questions.count < words.count ? words[questions.count] : String(questions.count)
    }

    /// Every question has a non-empty answer; else a share of the points by answers present.
    public func present() -> Verdict {
        let missing = questions.filter { (answers[$0] ?? "").isEmpty }
        if missing.isEmpty {
            return Verdict.pass("\(countWord) answers found in \(source)", details: answersShown).flagged(Self.readFlag)
        }
        return Verdict.partial(
            Double(questions.count - missing.count) / Double(questions.count),
            "no answer under \(missing.map { "Q\($0)" }.joined(separator: ", ")) in \(source)",
            details: answersShown,
            hint: "Put each answer under its own heading line \(questions.map { "`## Q\($0)`" }.joined(separator: ", "))."
        ).flagged(Self.readFlag)
    }

    /// Each answer touches at least `min_groups` (default 2) of its question's concept groups, the spec's `q1`,
    /// `q2`, … lists of term lists (a group is touched when any of its terms occurs:
    /// ``BelayFormats/ReflectionText/mentions(_:term:)``); else a share of the points by answers that do.
    /// `hint` says what the route's questions are about.
    public func concepts(_ spec: CheckSpec, hint: String) throws -> Verdict {
        let need = try spec.int("min_groups", default: 2)
        var weak: [String] = []
        var lines: [String] = []
        for q in questions {
            let groups = try spec.stringLists("q\(q)")
            let text = ReflectionText.normalized(answers[q] ?? "")
            let touched = groups.filter { group in group.contains { ReflectionText.mentions(text, term: $0) } }
            lines.append("Q\(q): \(touched.count) of \(groups.count) concept groups touched")
            if touched.count < need { weak.append("Q\(q)") }
        }
        if weak.isEmpty {
            return Verdict.pass("each answer touches its question's concepts", details: lines.joined(separator: "\n"))
                .flagged(Self.readFlag)
        }
        return Verdict.partial(
            Double(questions.count - weak.count) / Double(questions.count),
            "\(weak.joined(separator: ", ")) \(weak.count == 1 ? "says" : "say") little about what the question asks",
            details: lines.joined(separator: "\n"), hint: hint
        ).flagged(Self.readFlag)
    }

    /// No answer repeats its question (the spec's `q1_question`, …; word overlap of `max_overlap`, default 0.8,
    /// with at most three words more) and no two answers are nearly the same text.
    public func original(_ spec: CheckSpec) throws -> Verdict {
        let maxOverlap = try spec.number("max_overlap", default: 0.8)
        var problems: [String] = []
        for q in questions {
            guard let answer = answers[q], !answer.isEmpty else { continue }
            let question = (try? spec.string("q\(q)_question", default: "")) ?? ""
            if !question.isEmpty, ReflectionText.words(answer).count <= ReflectionText.words(question).count + 3,
                ReflectionText.overlap(answer, question) >= maxOverlap
            {
                problems.append("Q\(q) repeats the question")
            }
            for other in questions where other > q {
                guard let second = answers[other], !second.isEmpty else { continue }
                if ReflectionText.overlap(answer, second) >= maxOverlap {
                    problems.append("Q\(q) and Q\(other) are nearly the same text")
                }
            }
        }
        if problems.isEmpty {
            return Verdict.pass("\(countWord) distinct answers in the student's own words").flagged(Self.readFlag)
        }
        return Verdict.fail(
            problems.joined(separator: "; "), details: answersShown,
            hint: "Each question asks something different; answer it in your own words."
        ).flagged(Self.readFlag)
    }
}
