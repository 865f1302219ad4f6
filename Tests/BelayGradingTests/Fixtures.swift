import BelayGrading
import Foundation

/// A small route used across the tests: five checks in two exercises, one hidden.
enum Fixture {
    static let rubricYAML = """
        route: 019-leaky-pipeline
        title: The Leaky Pipeline
        version: "1"
        params: {seed: 42}
        exercises:
          - {id: ex0, title: "Exercise 0: features and labels"}
          - {id: ex1, title: "Exercise 1: leakage"}
        checks:
          - id: ex0.files.present
            exercise: ex0
            title: the output files exist
            points: 1
          - id: ex0.features.columns
            exercise: ex0
            title: features.csv has the 21 feature columns
            points: 2
            requires: [ex0.files.present]
            params: {tolerance: 0.02, concepts: [[leak, leakage, leaked], [test set, held-out]]}
          - id: ex1.accuracy
            exercise: ex1
            title: leaky accuracy is near 100%
            points: 4
            requires: ex0.features.columns
          - id: ex1.secret
            exercise: ex1
            title: SECRET-TITLE matches the reference
            points: 3
            visibility: hidden
            params: {expected: 0.987654}
          - id: ex1.after
            exercise: ex1
            title: depends on the hidden check
            points: 2
            visibility: hidden
            requires: [ex1.secret]
        """

    static func rubric() throws -> Rubric { try Rubric.parse(rubricYAML, fileName: "rubric.yaml") }
}
