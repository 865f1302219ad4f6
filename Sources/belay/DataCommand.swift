import ArgumentParser
import BelayData
import BelayLab
import Foundation
import Route019

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate course-shaped data, or describe a dataset.",
        subcommands: [SynthCommand.self, InfoCommand.self])
}

struct SynthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a realistic synthetic dataset in the course's formats (same seed, same bytes).",
        discussion: """
            Protein families evolve from Mtb-like ancestral sequences; locations follow families and composition
            (about 60% cytoplasm, 28% membrane, 12% secreted, UniProt-style text); embeddings mix a shared, a family,
            a location and a noise component like mean-pooled language-model vectors. About 2% of the labelled ids
            have no embedding, so alignment matters.
            """)

    @Option(name: .long, help: "Folder to write mtb_with_localization.xlsx and mtb_full.h5.gz into.")
    var out: String
    @Option(name: .long, help: "Proteins in the proteome (embeddings).")
    var proteins: Int = 4000
    @Option(name: .long, help: "Proteins in the labelled sheet.")
    var labeled: Int = 1200
    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42
    @Option(name: .long, help: "Embedding width.")
    var dim: Int = 1024

    func validate() throws {
        guard proteins > 0, labeled > 0, labeled <= proteins else {
            throw ValidationError("need 0 < --labeled <= --proteins (got \(labeled) and \(proteins))")
        }
        guard dim >= 8 && dim <= 16384 else { throw ValidationError("--dim must be between 8 and 16384") }
    }

    func run() async throws {
        var config = SynthConfig()
        config.proteins = proteins
        config.labeled = labeled
        config.seed = seed
        config.dimension = dim
        let dataset = SynthGenerator.generate(config)
        do {
            try dataset.write(to: URL(fileURLWithPath: out))
        } catch {
            printError("cannot write the dataset to \(out): \(error)")
            throw Exit.internalError
        }
        print("Wrote \(labeled) labelled proteins and \(dataset.embeddingIDs.count) embeddings of width \(dim) to \(out)")
    }
}

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a dataset: labels, embeddings, and cluster statistics at several thresholds.",
        discussion: "Use it to choose a threshold: near some thresholds one giant component swallows most proteins.")

    @OptionGroup var dataOptions: DataOptions
    @Option(name: .long, parsing: .upToNextOption, help: "Thresholds to report cluster statistics for.")
    var thresholds: [Float] = [0.6, 0.7, 0.8, 0.85, 0.9, 0.95]

    func run() async throws {
        let dataset = try dataOptions.load()
        let reference = Route019Reference(dataset: dataset)
        print(reference.summaryTable())
        // Every row where the sheet's location column and Belay's cleaning of the text disagree.
        let labels = reference.labelReference
        if let problem = labels.integrityProblem {
            print("\nBelay would refuse to grade against this dataset: \(problem)")
        }
        if labels.usesColumn {
            let lines = labels.disagreementLines()
            let cleaning = LabelReferenceSource.cleaningPhrase(dataset.locationSource)
            if lines.isEmpty {
                print("\nThe sheet's location column and \(cleaning) agree on every row.")
            } else {
                print("\n\(lines.count) row\(lines.count == 1 ? "" : "s") where the sheet's location column (the reference) and \(cleaning) disagree (a student matching either gets credit):")
                for line in lines { print("  " + line) }
            }
            let outside = labels.outsideClasses
            if !outside.isEmpty {
                print("\n\(outside.count) value\(outside.count == 1 ? "" : "s") of the location column outside \(labels.classes.joined(separator: ", ")) (those proteins are dropped):")
                for p in outside { print("  row \(p.row) `\(p.id)`: `\(p.column ?? "")`") }
            }
        }
        print("\nConnected components of the \(reference.alignedIDs.count) aligned labelled proteins:")
        print("threshold  clusters  largest  largest share  singletons")
        for t in thresholds {
            let s = reference.clustering(at: t).stats
            print(
                String(
                    format: "%9.3f  %8d  %7d  %12.1f%%  %10d", Double(t), s.count, s.largest, s.largestShare * 100,
                    s.singletons))
        }
        if let t = dataset.recommendedThreshold {
            print("\nThe dataset recommends a threshold of \(t)." + (dataset.thresholdReason.map { " \($0)" } ?? ""))
        }
        // One split is not evidence: the reference's random-versus-clustered comparison over seeds 1...20.
        print("\n" + reference.repeatedSplits().report())
    }
}
