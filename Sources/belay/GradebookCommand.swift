import ArgumentParser
import BelayBatch
import BelayGrading
import Foundation

/// `belay gradebook …`: work on graded class folders.
struct GradebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradebook",
        abstract: "Work with graded class folders (join the shards of a class).",
        subcommands: [Merge.self])

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Join the outputs of `belay grade --shard K/N` runs into one class folder.",
            discussion: """
                Writes OUT/gradebook.csv, OUT/item-analysis.csv, OUT/junit.xml and OUT/class.html exactly as one \
                `belay grade` of the whole class would (the same code writes them), and copies every student's folder \
                into OUT, so OUT is a complete `belay grade --out` folder. With --reproducible the four class files \
                are byte-identical to a single `belay grade --reproducible` run.

                Refused, before anything is written (exit 64): a student in two folders, a shard missing or given \
                twice, shards of different N or class folders, and reports graded with a different rubric, data, \
                route or Belay version (belay.rubric.sha256, belay.data.sha256, belay.version). Folders without belay-shard.json (whole \
                `belay grade` outputs, e.g. one per section) can be merged too, without the shard checks.

                Example:
                  belay gradebook merge shard-1/ shard-2/ shard-3/ shard-4/ --out grades/ --reproducible
                """)

        @Argument(help: "Output folders of `belay grade --shard K/N` (all N of them).")
        var directories: [String]

        @Option(name: .long, help: "Output folder (not one of the inputs).")
        var out: String

        @Flag(name: .long, help: "Write time=\"0.000\" in the combined JUnit, as `belay grade --reproducible` does.")
        var reproducible = false

        func validate() throws {
            if directories.isEmpty { throw ValidationError("give the shard folders to merge") }
        }

        func run() throws {
            let summary: GradebookMerge.Summary
            do {
                summary = try GradebookMerge.merge(
                    directories.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out),
                    reproducible: reproducible)
            } catch let error as BatchError {
                printError("cannot merge: \(error)")
                throw Exit.usage
            } catch {
                printError("merge failed: \(error)")
                throw Exit.internalError
            }
            let graded = summary.results.filter { $0.status == .graded }.count
            let shards = summary.shards.isEmpty ? "\(directories.count) folders" : "\(summary.shards.count) shards"
            print(
                "\(summary.results.count) students from \(shards): \(graded) graded, "
                    + "\(summary.results.count - graded) error or timeout. Gradebook: \(out)/gradebook.csv")
        }
    }
}
