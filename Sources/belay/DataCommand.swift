import ArgumentParser
import BelayData
import BelayLab
import Foundation
import BelayGrading
import BelayRoute

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
        abstract: "Describe a dataset: labels, embeddings, and what each route makes of it (e.g. cluster statistics at several thresholds).",
        discussion: "Use it to choose a threshold: near some thresholds one giant component swallows most proteins. Without --route, every route describes the dataset.")

    @Option(name: .long, help: ArgumentHelp("The route to describe the dataset for (known: \(routes.knownIDs)); default: every route.", valueName: "id"))
    var route: String?
    @OptionGroup var dataOptions: DataOptions
    @Option(name: .long, parsing: .upToNextOption, help: "Same as --param thresholds=[...]: thresholds to report cluster statistics for (default: the route's).")
    var thresholds: [Double] = []
    @Option(name: .customLong("param"), help: ArgumentHelp("A param of the route's description (repeatable).", valueName: "key=value"))
    var params: [String] = []

    func run() async throws {
        let chosen: [any Route]
        do {
            chosen = try route.map { [try routes.route(id: $0)] } ?? routes.routes
        } catch {
            printError("\(error)")
            throw Exit.usage
        }
        // Without --route every route describes the dataset: a param goes to the routes that know it, and only a
        // param that no chosen route knows is an error.
        let keys = params.map { String($0.prefix { $0 != "=" }) } + (thresholds.isEmpty ? [] : ["thresholds"])
        let known = { (route: any Route) in Set((route.rubricParameters + route.referenceParameters).map(\.key)) }
        if chosen.count > 1, let unknown = keys.first(where: { key in !chosen.contains { known($0).contains(key) } }) {
            printError("param '\(unknown)' is not known to any route (routes: \(routes.knownIDs))")
            throw Exit.usage
        }
        let dataset = try dataOptions.load()
        for (index, route) in chosen.enumerated() {
            if chosen.count > 1 { print((index == 0 ? "" : "\n") + "== \(route.id): \(route.title) ==\n") }
            do {
                let names = known(route)
                let given = chosen.count > 1 ? params.filter { names.contains(String($0.prefix { $0 != "=" })) } : params
                let skipped = Set(keys.filter { chosen.count > 1 && !names.contains($0) }).sorted()
                if !skipped.isEmpty { print("(Left out for this route, which has no such param: \(skipped.joined(separator: ", ")).)\n") }
                var overrides = try route.parseOverrides(given)
                if !thresholds.isEmpty, chosen.count == 1 || names.contains("thresholds") {
                    overrides["thresholds"] = .list(thresholds.map { .number($0) })
                    try ParameterRule.validate(overrides, against: route.rubricParameters + route.referenceParameters, source: "--thresholds")
                }
                let rubric = try route.loadRubric(at: nil)
                print(try route.describe(dataset, parameters: RouteParameters(rubric: rubric, overrides: overrides)))
            } catch {
                printError("\(error)")
                throw Exit.usage
            }
        }
    }
}
