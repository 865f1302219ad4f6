public import BelayGrading

extension Route019Grader {
    /// The route-wide rubric params Route 019 reads, with the values it can work with.
    ///
    /// A test fraction of 0 or 1 leaves a side of the split empty; seeds are whole numbers a `UInt64` holds
    /// exactly (up to 2^53).
    public static let routeParameters: [ParameterRule] = [
        ParameterRule("seed", .wholeNumber(0...9_007_199_254_740_992), help: "seed of every split (default 42)"),
        ParameterRule("test_fraction", .number(0.01...0.99), help: "share of proteins in the test set (default 0.2)"),
    ]

    /// The check params of Route 019's checks, by name (the same name means the same thing in every check).
    public static let checkParameters: [ParameterRule] = [
        ParameterRule("z", .number(0...10)),
        ParameterRule("tolerance", .number(0...1_000_000)),
        ParameterRule("random_tolerance", .number(0...1)),
        ParameterRule("clustered_tolerance", .number(0...1)),
        ParameterRule("min", .number(0...1)),
        ParameterRule("max", .number(0...1)),
        ParameterRule("min_agreement", .number(0...1)),
        ParameterRule("min_coverage", .number(0...1)),
        ParameterRule("max_overlap", .number(0...1)),
        ParameterRule("partial_min_ari", .number(-1...1)),
        ParameterRule("baseline_splits", .wholeNumber(1...1000)),
        ParameterRule("show_rows", .wholeNumber(0...100_000)),
        ParameterRule("show_ids", .wholeNumber(0...100_000)),
        ParameterRule("min_sentences", .wholeNumber(0...1000)),
        ParameterRule("max_sentences", .wholeNumber(0...1000)),
        ParameterRule("min_groups", .wholeNumber(0...1000)),
    ]
}
