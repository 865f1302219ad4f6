import ArgumentParser
import BelayData
import BelayRoute
import Foundation

/// `belay gradescope …`: running Belay as a Gradescope autograder.
struct GradescopeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradescope",
        abstract: "Make a Gradescope autograder that grades each submission with Belay.",
        subcommands: [GradescopeBundleCommand.self])
}

struct GradescopeBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write the autograder zip to upload to a Gradescope programming assignment.",
        discussion: """
            The zip holds setup.sh and run_autograder (Gradescope's autograder layout), a belay with the Swift
            runtime linked in, the libraries it loads except glibc, the rubric and the data. run_autograder grades
            /autograder/submission with every check, hidden ones included, into /autograder/results/results.json;
            if Belay cannot finish, results.json gives 0 points and says why.

            This belay must itself be built with the Swift runtime linked in, or --belay must name one that is:
              swift build -c release --static-swift-stdlib
              .build/release/belay gradescope bundle --out autograder.zip

            The image's glibc must be at least the build machine's: the command prints the base image to choose.
            """)

    @Option(name: .long, help: "The zip to write.")
    var out: String

    @Option(name: .long, help: "Rubric file to grade with (default: the route's own).")
    var rubric: String?

    @OptionGroup var routeSelection: RouteSelection
    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "A belay built with --static-swift-stdlib to ship (default: this one, if it is).")
    var belay: String?

    @Option(name: .long, help: "Seconds Belay may spend on one submission (a notebook alone may run 600 s); keep it below the assignment's autograder timeout on Gradescope.")
    var timeout: Int = 720

    @Flag(name: .customLong("no-run-notebooks"), help: "Grade notebooks from their saved outputs; setup.sh then installs no Python.")
    var noRunNotebooks = false

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds, got \(timeout)") }
    }

    func run() async throws {
        let executable = belay.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            printError("no executable belay at \(executable.path)")
            throw Exit.usage
        }
        if let data = dataOptions.data, !FileManager.default.fileExists(atPath: data) {
            printError("no such dataset folder: \(data)")
            throw Exit.usage
        }
        do {
            _ = try GradescopeBundle.checkedExecutable(executable)
        } catch let error as GradescopeBundle.BundleError {
            printError(error.description)
            throw Exit.usage
        }
        // Never ship a rubric or data that cannot grade: load both, as run_autograder will, before writing.
        let setup = try GradingSetup.make(route: routeSelection, dataOptions: dataOptions, rubricPath: rubric)
        print(setup.reference.summary + "\n")
        let rubricURL: URL
        do {
            rubricURL = try rubric.map { URL(fileURLWithPath: $0) } ?? setup.route.defaultRubricURL()
        } catch {
            printError("\(error)")
            throw Exit.internalError
        }
        let bundle = GradescopeBundle(
            belay: executable, rubric: rubricURL, data: dataOptions.data.map { URL(fileURLWithPath: $0) },
            sheet: dataOptions.sheet, timeoutSeconds: timeout, runNotebooks: !noRunNotebooks)
        let summary: GradescopeBundle.Summary
        do {
            summary = try bundle.write(to: URL(fileURLWithPath: out))
        } catch let error as GradescopeBundle.BundleError {
            printError(error.description)
            throw Exit.usage
        } catch {
            printError("cannot write \(out): \(error)")
            throw Exit.internalError
        }
        print("""
            Wrote \(out) (\(summary.bytes / 1_048_576) MiB): belay \(belayVersion), \(summary.libraries.count) libraries, \
            \(summary.resourceBundles.joined(separator: ", ")), \(rubric == nil ? "the route's rubric" : rubric!), \
            \(dataOptions.data.map { "data from \($0)" } ?? "the embedded data").
            Needs glibc \(summary.glibcNeeded) and GLIBCXX_\(summary.glibcxxNeeded) (libstdc++) or newer: in the assignment's \
            autograder settings choose the base image \(summary.baseImage) or newer, and an autograder timeout above \(timeout) s.
            """)
    }
}
