import ArgumentParser
import BelayBatch
import BelayData
import BelayGrading
import BelayRoute
import Foundation

struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a whole class: every sub-folder or .zip of CLASS_DIR is one student.",
        discussion: """
            Writes OUT/<student>/junit.xml, report.txt, report.json, results.json and report.html, plus
            OUT/gradebook.csv, OUT/item-analysis.csv, a combined OUT/junit.xml and OUT/class.html. The reference is
            computed once for the batch.
            Students whose submission, rubric and Belay version are unchanged since the last run are not regraded
            (use --force), so a run that was interrupted, even killed, picks up where it stopped: every file is
            written to a temporary file and renamed into place, and a half-written student is graded again.
            A broken submission is recorded as that student's result and the batch goes on.

            Examples:
              belay grade class/ --out grades/
              belay grade class/ --out grades/ --only alice --force

            Sharding (one class over several machines, e.g. a Slurm job array; see recipes/):
              belay grade class/ --out shard-3/ --shard 3/4 --reproducible
              belay gradebook merge shard-1/ shard-2/ shard-3/ shard-4/ --out grades/ --reproducible
            A student belongs to shard K of N when the first 8 bytes of the SHA-256 of their UTF-8 name, read as a \
            big-endian integer, are K-1 mod N: every machine computes the same parts. The shard's folder holds its \
            students' reports, class files covering just them, and belay-shard.json for the merge.
            """)

    @Argument(help: "Folder with one sub-folder or .zip per student.")
    var classDirectory: String

    @Option(name: .long, help: "Output folder.")
    var out: String

    @OptionGroup var routeSelection: RouteSelection
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var grading: GradingOptions

    @Option(name: .long, help: "Students graded at once (default: the number of cores).")
    var jobs: Int?

    @Option(name: .long, help: "Seconds after which one student's grading is recorded as a timeout.")
    var timeout: Double = 300

    @Option(name: .long, help: "Regrade only this student.")
    var only: String?

    @Flag(name: .long, help: "Regrade even unchanged submissions.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Grade only part K of N of the class (1-based, e.g. 3/4).", valueName: "K/N"))
    var shard: String?

    func validate() throws {
        if let shard {
            do {
                _ = try Shard(parsing: shard)
            } catch {
                throw ValidationError("--shard: \(error)")
            }
            if only != nil { throw ValidationError("--only and --shard cannot be combined; --only regrades one student of a whole-class folder") }
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: classDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("no such class folder: \(classDirectory)")
            throw Exit.usage
        }
        // Without --route or a rubric, the students' folders and zips (looked into, not extracted) choose the route
        // (see RouteSelection). An unreadable class folder is reported by the grading below.
        let students = ((try? ClassGrader.submissions(in: URL(fileURLWithPath: classDirectory))) ?? []).map(\.url)
        let setup = try GradingSetup.make(
            route: routeSelection, dataOptions: dataOptions, rubricPath: grading.rubric, submissions: students)
        // The same summary as `check`: a misread dataset shows here before anyone is graded against it.
        print(setup.reference.summary + "\n")
        // A notebook's own limit stays inside the student's grading timeout, with room for the checks.
        let grader = setup.grader(
            audience: .instructor, grading: grading,
            notebookRun: NotebookRunOptions(
                notebookSeconds: max(30, min(600, timeout - 90)), keepIn: URL(fileURLWithPath: out)))
        let classGrader = ClassGrader(
            grader: grader, rubricSHA: setup.rubric.sha256, dataSHA: setup.reference.dataSHA256, belayVersion: belayVersion,
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, timeoutSeconds: timeout,
            reproducible: grading.reproducible)
        let results: [StudentResult]
        do {
            results = try await classGrader.grade(
                classDirectory: URL(fileURLWithPath: classDirectory), outDirectory: URL(fileURLWithPath: out),
                only: only, force: force, shard: shard.flatMap { try? Shard(parsing: $0) }, progress: { line in print(line) })
        } catch {
            printError("grading failed: \(error)")
            throw Exit.internalError
        }
        let graded = results.filter { $0.status == .graded }.count
        let part = shard.map { " in shard \($0)" } ?? ""
        print("\n\(results.count) students\(part): \(graded) graded, \(results.count - graded) error or timeout. Gradebook: \(out)/gradebook.csv")
    }
}
