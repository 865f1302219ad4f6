import BelayGrading
import Foundation
import Testing

/// Rubric parameters are checked where the rubric is loaded: a bad value is a rubric error with file and line.
@Suite struct RubricParameterTests {
    static let route = [
        ParameterRule("seed", .wholeNumber(0...9_007_199_254_740_992)),
        ParameterRule("test_fraction", .number(0.01...0.99)),
    ]
    static let checks = [ParameterRule("tolerance", .number(0...1)), ParameterRule("show_rows", .wholeNumber(0...100))]

    /// The fixture with its route params replaced by `params` (on line 4 of the file).
    func rubric(params: String, replacing old: String = "", with new: String = "") throws -> Rubric {
        var text = Fixture.rubricYAML.replacingOccurrences(of: "params: {seed: 42}", with: "params: \(params)")
        if !old.isEmpty { text = text.replacingOccurrences(of: old, with: new) }
        return try Rubric.parse(text, fileName: "rubric.yaml")
    }

    func error(params: String, replacing old: String = "", with new: String = "") throws -> RubricError {
        let rubric = try rubric(params: params, replacing: old, with: new)
        return try #require(throws: RubricError.self) {
            try rubric.validateParameters(route: Self.route, checks: Self.checks)
        }
    }

    @Test func goodParamsPass() throws {
        try rubric(params: "{seed: 42, test_fraction: 0.2}").validateParameters(route: Self.route, checks: Self.checks)
        try rubric(params: "{seed: 0, test_fraction: 0.5}").validateParameters(route: Self.route, checks: Self.checks)
        try rubric(params: "{}").validateParameters(route: Self.route, checks: Self.checks)  // defaults apply
    }

    @Test(arguments: [
        ("{seed: 42, test_fraction: 1.5}", "rubric param 'test_fraction' must be a number from 0.01 to 0.99, not 1.5"),
        ("{seed: 42, test_fraction: 0}", "rubric param 'test_fraction' must be a number from 0.01 to 0.99, not 0"),
        ("{seed: 42, test_fraction: .nan}", "rubric param 'test_fraction' must be a number from 0.01 to 0.99, not nan"),
        ("{seed: 42, test_fraction: .inf}", "rubric param 'test_fraction' must be a number from 0.01 to 0.99, not inf"),
        ("{seed: 42, test_fraction: a fifth}", "rubric param 'test_fraction' must be a number, not a string"),
        ("{seed: -1}", "rubric param 'seed' must be a whole number from 0 to 9007199254740992, not -1"),
        ("{seed: 4.5}", "rubric param 'seed' must be a whole number from 0 to 9007199254740992, not 4.5"),
        ("{seed: 1e300}", "rubric param 'seed' must be a whole number from 0 to 9007199254740992, not 1e+300"),
        ("{seed: .nan}", "rubric param 'seed' must be a whole number from 0 to 9007199254740992, not nan"),
        ("{seed: 42, test_fracton: 0.2}", "rubric param 'test_fracton' is not known (did you mean 'test_fraction'?) (known: seed, test_fraction)"),
    ])
    func badRouteParamsAreRubricErrorsWithTheLine(params: String, message: String) throws {
        let e = try error(params: params)
        #expect(e.file == "rubric.yaml")
        #expect(e.line == 4)
        #expect(e.message == message)
    }

    @Test func badCheckParamsNameTheCheckAndLine() throws {
        let e = try error(params: "{seed: 42}", replacing: "tolerance: 0.02", with: "tolerance: -0.5")
        #expect(e.line == 18)
        #expect(e.message == "check 'ex0.features.columns' param 'tolerance' must be a number from 0 to 1, not -0.5")
        // A check param without a rule is left to its check.
        try rubric(params: "{seed: 42}").validateParameters(route: Self.route, checks: [])
    }
}
