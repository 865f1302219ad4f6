import Foundation
import Route019
import Testing

/// Inputs that once crashed, hung or exhausted the submission loader (found by scripts/fuzz or while writing
/// its targets): each must now come back as a value.
@Suite("Fuzz regressions (Route019)")
struct Route019FuzzRegressionTests {
    @Test func commentsAreStrippedInOnePass() {
        #expect(Route019Submission.strippingComments("a<!-- x -->b<!--y-->c") == "abc")
        #expect(Route019Submission.strippingComments("a<!-- never closed\n## Q1\nb") == "a")
        #expect(Route019Submission.strippingComments("<!-- a --> --> b") == " --> b")
        #expect(Route019Submission.strippingComments("no comments") == "no comments")
    }

    @Test func manyCommentsDoNotHang() {
        // 2 MiB of empty comments: removing them one at a time with Foundation's `range(of:)` took minutes
        // (quadratic in the file's size; a 64 MiB reflection.md, the largest Belay reads, would take days).
        let text = "## Q1\n" + String(repeating: "<!---->", count: 300_000) + "answer\n"
        #expect(Route019Submission.reflectionAnswers(markdown: text) == [1: "answer"])
    }
}
