import ArgumentParser
import BelayData
import BelayRoute
import Foundation

struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Run the whole route on a dataset and write a complete, correct submission.",
        discussion: """
            Writes every file the route's exercises ask for into --out, built from the rubric's params (the route's \
            own rubric unless --rubric names one) with --param key=value on top, and prints the reference's figures.
            --threshold, --test-fraction, --seed, --split-mode and --repeats are short for the --param of the same \
            name (test_fraction, split_mode); the route checks every value.

            """ + routes.parameterHelp)

    @OptionGroup var routeSelection: RouteSelection
    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "Rubric file whose params the reference uses (default: the route's own).")
    var rubric: String?

    @Option(name: .long, help: "Folder to write the submission files into.")
    var out: String

    @Option(name: .customLong("param"), help: ArgumentHelp(
        "A param of the reference run, overriding the rubric's (repeatable), e.g. --param threshold=0.9.",
        valueName: "key=value"))
    var params: [String] = []

    // Short forms of --param, kept from before routes were plug-ins; the route checks their values.
    @Option(name: .long, help: "Same as --param threshold=VALUE: the cosine similarity threshold (pairs strictly above it are linked).")
    var threshold: String?
    @Option(name: .customLong("test-fraction"), help: "Same as --param test_fraction=VALUE: the share of proteins in the test set.")
    var testFraction: String?
    @Option(name: .long, help: "Same as --param seed=VALUE: the seed of the splits.")
    var seed: String?
    @Option(name: .customLong("split-mode"), help: "Same as --param split_mode=VALUE: 'proteins' (whole clusters until the test set holds about the fraction of proteins) or 'clusters' (the fraction of cluster ids, as the course's notebook does).")
    var splitMode: String?
    @Option(name: .long, help: "Same as --param repeats=N: seeds (1...N) over which to repeat the random-versus-clustered comparison; 0 skips it.")
    var repeats: String?

    /// `--param` values with the short forms in front (an explicit --param wins).
    var overrides: [String] {
        let short: [(String, String?)] = [
            ("threshold", threshold), ("test_fraction", testFraction), ("seed", seed), ("split_mode", splitMode),
            ("repeats", repeats),
        ]
        return short.compactMap { key, value in value.map { "\(key)=\($0)" } } + params
    }

    func run() async throws {
        let setup = try GradingSetup.make(
            route: routeSelection, dataOptions: dataOptions, rubricPath: rubric, overrides: overrides)
        let text: String
        do {
            text = try setup.reference.writeSubmission(to: URL(fileURLWithPath: out))
        } catch {
            printError("cannot write to \(out): \(error)")
            throw Exit.internalError
        }
        print(text)
    }
}
