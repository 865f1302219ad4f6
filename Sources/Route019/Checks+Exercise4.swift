import BelayFormats
import BelayGrading
import BelayRoute
import Foundation

extension Route019Checks {
    static let readFlag = ReflectionReview.readFlag

    /// The review of a usable reflection (``ReflectionReview``, as in every route).
    static func review(_ reflection: Reflection) -> ReflectionReview {
        ReflectionReview(answers: reflection.answers, source: reflection.source, questions: 1...4)
    }

    static let exercise4: [String: CheckImplementation<Route019Context>] = [
        "ex4.answers.present": { context, _ in
            switch context.submission.reflection {
            case .present(let r): return review(r).present()
            case .absent(let p), .invalid(let p): return unusable(p).flagged(readFlag)
            }
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
            return try review(reflection).concepts(
                spec,
                hint:
                    "Use the route's own terms: what reaches the test set, why related proteins matter, what split and baseline a claim rests on."
            )
        },

        "ex4.answers.original": { context, spec in
            guard let reflection = context.submission.reflection.value else { return .error("no reflection") }
            return try review(reflection).original(spec)
        },
    ]
}
