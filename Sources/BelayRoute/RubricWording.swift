public import BelayGrading
import Foundation

extension Rubric {
    /// The rubric with each check's title reworded: every `(word, replacement)` pair applied in order. A route's
    /// rubric names its CSV contract's files; a submission of another kind (a Swift module) is graded under titles
    /// in its own words. Only the instructor's titles are reworded, once per grading, never a student's text or a
    /// tool's output.
    public func rewordingTitles(_ pairs: [(word: String, replacement: String)]) -> Rubric {
        var rubric = self
        for i in rubric.checks.indices {
            rubric.checks[i].title = pairs.reduce(rubric.checks[i].title) {
                $0.replacingOccurrences(of: $1.word, with: $1.replacement)
            }
        }
        return rubric
    }
}
