import BelayFormats
import Testing

@Suite("Markdown answers of a reflection")
struct MarkdownAnswersTests {
    @Test("headings of any level, spelled Q1, q 2, Question 3, name questions; an answer ends at the next one")
    func headings() {
        let text = "# Reflection\n## Q1\none\n### q 2: why\ntwo\n# Question 3\nthree\n## Q5\nnot asked\n"
        let answers = MarkdownAnswers.answers(markdown: text, questions: 1...4)
        #expect(answers == [1: "one", 2: "two", 3: "three"])
    }

    @Test("a bold line names a question, and a bold line inside an answer does not end it")
    func boldQuestions() {
        let text = "**Q1**\nfirst line\n**Note:** still the first answer\n**Q2.**\nsecond\n"
        let answers = MarkdownAnswers.answers(markdown: text, questions: 1...3)
        #expect(answers[1] == "first line\n**Note:** still the first answer")
        #expect(answers[2] == "second")
    }

    @Test("text after a bold question on the same line is the start of its answer")
    func boldQuestionWithAnswerOnTheLine() {
        let text = "**Q1.** Up to 25%.\nMore.\n**Q2: where is the limit?** At 2/3.\n"
        let answers = MarkdownAnswers.answers(markdown: text, questions: 1...3)
        #expect(answers == [1: "Up to 25%.\nMore.", 2: "At 2/3."])
    }

    @Test("a template's comments are not answers, and a heading of the same level ends an answer")
    func commentsAndLevels() {
        let text = "## Q1\n<!-- What is leakage? -->\n\n## Notes\nnot an answer\n## Q2\n<!-- prompt\nspanning lines -->real\n"
        let answers = MarkdownAnswers.answers(markdown: text, questions: 1...4)
        #expect(answers[1] == "")
        #expect(answers[2] == "real")
        #expect(MarkdownAnswers.strippingComments("a<!-- x -->b<!--unclosed") == "ab")
    }

    @Test("numbers outside the questions asked, and words that merely start with q, are not questions")
    func notQuestions() {
        let text = "## Q12\nx\n## Quality\ny\n## Q1a\nz\n"
        #expect(MarkdownAnswers.answers(markdown: text, questions: 1...4).isEmpty)
    }
}
