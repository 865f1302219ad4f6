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
            clustered split).
            """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var route: RouteOptions

    @Option(name: .long, help: "Folder to write the submission files into.")
    var out: String

    func run() async throws {
        let dataset = try dataOptions.load()
        let reference = Route019Reference(dataset: dataset, options: route.referenceOptions)
        do {
            try reference.writeSubmission(to: URL(fileURLWithPath: out))
        } catch {
            printError("cannot write to \(out): \(error)")
            throw Exit.internalError
        }
        print(reference.summaryTable())
        print("\nWrote \(reference.submissionFiles().map(\.name).joined(separator: ", ")) to \(out)")
    }
}
