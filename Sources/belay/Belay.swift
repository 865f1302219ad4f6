import ArgumentParser
import BelayLab
import Foundation

/// Belay's version, recorded in every report.
let belayVersion = "0.1.0"

@main
struct Belay: AsyncParsableCommand {
    static func main() async {
        // Belay parallelizes across experiments and students itself; one BLAS thread per call avoids
        // oversubscribing the cores (OPENBLAS_NUM_THREADS, when set, wins).
        if let value = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"], let n = Int(value) {
            BLASThreads.set(n)
        } else {
            BLASThreads.set(1)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "belay",
        abstract: "Grade the course's routes: \(routeTitles).",
        discussion: """
            A student checks a submission:     belay check my-submission/
            An instructor grades a class:      belay grade class/ --out grades/
            Run the whole route's reference:   belay reference --out reference/
            Generate course-shaped data:       belay data synth --out synth/ --proteins 4000
            Compare speed with Python:         belay bench

            Without --data, commands use the embedded real M. tuberculosis H37Rv dataset.

            Exit status: 0 every check that ran passed; 1 some check failed; 64 usage error; 70 Belay itself failed.
            """,
        subcommands: [CheckCommand.self, GradeCommand.self, ReferenceCommand.self, DataCommand.self, BenchCommand.self,
                      GradebookCommand.self, GradescopeCommand.self])
}
