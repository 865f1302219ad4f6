import BelayGrading
import BelayRoute
import Foundation

// MARK: - Step 4: the reflection
//
// No program judges an essay: these checks catch the missing, the off-topic and the copied, and every result is
// flagged for an instructor's read with the answers shown (``ReflectionReview``, as in every route). The concept
// lists live in the rubric.

extension Route020Checks {
    /// The questions of the reflection.
    static let questions = 1...3

    /// The review of a usable reflection.
    static func review(_ reflection: ReflectionAnswers) -> ReflectionReview {
        ReflectionReview(answers: reflection.answers, source: reflection.source, questions: questions)
    }

    static let reflectionChecks: [String: CheckImplementation<Route020Context>] = [
        "reflection.present": { context, _ in
            switch context.submission.reflection {
            case .present(let r): return review(r).present()
            case .absent(let p), .invalid(let p): return unusable(p).flagged(ReflectionReview.readFlag)
            }
        },

        "reflection.concepts": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            return try review(reflection).concepts(
                spec,
                hint: "Use your curve: where it stays flat and why (most labels still right, errors spread over classes), "
                    + "where it falls (the true class no longer the most common label), and what the test labels are for.")
        },

        "reflection.original": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            return try review(reflection).original(spec)
        },
    ]
}
