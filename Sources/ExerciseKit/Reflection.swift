import Foundation

/// The four reflection answers of Ex4, each two or three sentences.
///
/// - Q1: What is data leakage?
/// - Q2: Why is homology leakage easy to miss?
/// - Q3: What would you ask of a paper that claims 95% accuracy?
/// - Q4: When is a random split fine?
public struct Reflection: Codable, Sendable, Hashable {
    /// What data leakage is.
    public var q1: String
    /// Why homology leakage is easy to miss.
    public var q2: String
    /// What to ask of a paper claiming 95% accuracy.
    public var q3: String
    /// When a random split is fine.
    public var q4: String

    /// The file the default ``LeakyPipelineExercises/reflection`` reads: `Reflection.md`.
    public static let fileName = "Reflection.md"

    /// Creates the answers from four strings.
    public init(q1: String, q2: String, q3: String, q4: String) {
        self.q1 = q1
        self.q2 = q2
        self.q3 = q3
        self.q4 = q4
    }

    /// Parses Markdown with the headings `## Q1` ... `## Q4`; the text under each heading (up to the next
    /// `#` heading) is that answer, trimmed. Missing headings give empty answers; text after a heading's
    /// `Q<n>` on the same line (a title such as `## Q1 — What is leakage?`) is not part of the answer.
    ///
    /// - Complexity: O(*n*) in the length of the text.
    public init(markdown: String) {
        var answers: [Int: [Substring]] = [:]
        var current: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("#") {
                current = Self.questionNumber(inHeading: trimmed)
                continue
            }
            if let current { answers[current, default: []].append(line) }
        }
        func answer(_ n: Int) -> String {
            (answers[n] ?? []).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.init(q1: answer(1), q2: answer(2), q3: answer(3), q4: answer(4))
    }

    /// Reads and parses a Markdown file; `nil` when it cannot be read as UTF-8.
    public init?(contentsOfFile path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        self.init(markdown: text)
    }

    /// The four answers in order.
    public var answers: [String] { [q1, q2, q3, q4] }

    /// `1...4` for a heading such as `## Q3` or `## Q3. Why...`, otherwise `nil`.
    private static func questionNumber(inHeading heading: Substring) -> Int? {
        let words = heading.drop { $0 == "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = words.first else { return nil }
        let word = first.uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ".:)-"))
        guard word.count == 2, word.hasPrefix("Q"), let n = Int(word.dropFirst()), (1...4).contains(n) else {
            return nil
        }
        return n
    }
}
