import ArgumentParser
import BelayData
import Foundation
import Route019

struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Run the whole route on a dataset and write a complete, correct submission.",
        discussion: """
            Writes features.csv, label_encoding.csv, clusters.csv, splits.csv and metrics.csv into --out and prints
            the cluster statistics and the four accuracies (leaked label, 21 features, embeddings on a random and on a
            clustered split), then the same comparison repeated over seeds 1...--repeats: one split is not evidence,
            because a single large cluster decides a clustered split's accuracy whenever it lands in the test set.
            """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var route: RouteOptions

    @Option(name: .long, help: "Folder to write the submission files into.")
    var out: String

    @Option(name: .long, help: "Seeds (1...N) over which to repeat the random-versus-clustered comparison; 0 skips it.")
    var repeats: Int = 20

    func validate() throws {
        guard (0...1000).contains(repeats) else {
            throw ValidationError("--repeats must be between 0 and 1000, got \(repeats)")
        }
    }

    func run() async throws {
        let dataset = try dataOptions.load()
        let reference = try makeReference(dataset, options: route.referenceOptions)
        do {
            try reference.writeSubmission(to: URL(fileURLWithPath: out))
        } catch {
            printError("cannot write to \(out): \(error)")
            throw Exit.internalError
        }
        print(reference.summaryTable())
        if repeats > 0 {
            print("\n" + reference.repeatedSplits(seeds: 1...UInt64(repeats)).report())
        }
        print("\nWrote \(reference.submissionFiles().map(\.name).joined(separator: ", ")) to \(out)")
    }
}
