import ArgumentParser
import BelayBatch
import BelayGrading
import BelayData
import BelayFormats
import BelayLab
import BelayRoute
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the reference pipeline's steps side by side with NumPy/SciPy/scikit-learn on the same files.",
        discussion: """
            Datasets: the embedded real H37Rv data, and generated data at each --sizes (1024-wide embeddings).
            Each step runs in Belay and in Python (same files, same run); the table gives both times and the ratio
            Belay/Python (below 1 = Belay faster). Build with -c release for meaningful figures. OpenBLAS runs on
            one thread on both sides (OPENBLAS_NUM_THREADS=1) unless --threads says otherwise.
            """)

    @Option(name: .long, parsing: .upToNextOption, help: "Generated dataset sizes (proteins, all of them labelled, so every step runs at that size).")
    var sizes: [Int] = [1000, 4000]

    @Option(name: .long, help: "Python interpreter with numpy, scipy, scikit-learn, h5py, openpyxl.")
    var python: String = "python3"

    @Flag(name: .customLong("skip-python"), help: "Time Belay only.")
    var skipPython = false

    @Option(name: .customLong("scale"), help: "Also cluster this many generated 1024-wide proteins and report peak memory (0 = skip).")
    var scale: Int = 20000

    @Option(name: .customLong("class-size"), help: "Also grade a generated class of this many CSV submissions on the real data (0 = skip).")
    var classSize: Int = 60

    @Option(name: .customLong("swift-class"), help: "Also grade this many copies of the Swift solution (0 = skip).")
    var swiftClass: Int = 4

    @Option(name: .customLong("kill-resume"), help: "Also kill `belay grade` with SIGKILL this many times at random moments, rerun it, and compare with an uninterrupted run (0 = skip).")
    var killResumeTrials: Int = 20

    @Option(name: .customLong("kill-resume-class"), help: "CSV submissions in the kill-and-resume class.")
    var killResumeClass: Int = 30

    @Option(name: .customLong("notebook-runs"), help: "Also run a course-style notebook this many times in Belay's sandbox and in a plain `jupyter nbconvert --execute` (nbclient when nbconvert is absent), and report the best of each (0 = skip).")
    var notebookRuns: Int = 2

    @Option(name: .long, help: "OpenBLAS threads for both sides.")
    var threads: Int = 1

    @Option(name: .long, help: "Repetitions per step (the minimum is reported).")
    var repeats: Int = 3

    @Option(name: .long, help: ArgumentHelp("The route whose reference and class are timed (known: \(routes.knownIDs)); default: the first.", valueName: "id"))
    var route: String?

    /// The route benchmarked: --route, else the registry's first.
    var benchRoute: any Route {
        get throws { try routes.route(id: route ?? routes.routes[0].id) }
    }

    func run() async throws {
        setenv("OPENBLAS_NUM_THREADS", String(threads), 1)
        BLASThreads.set(threads)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("belay-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = scratch.appendingPathComponent("pipeline.py")
        try Data(pythonPipeline.utf8).write(to: script)

        var datasets: [(name: String, directory: URL)] = [("H37Rv (real, 256-d)", try CourseDataset.embeddedDefaultDirectory())]
        for n in sizes {
            let dir = scratch.appendingPathComponent("synth-\(n)")
            var config = SynthConfig()
            config.proteins = n
            config.labeled = n
            config.dimension = 1024
            try SynthGenerator.generate(config).write(to: dir)
            datasets.append(("synthetic \(n) (1024-d)", dir))
        }

        print("load average at start: \(loadAverage()) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("step".padding(toLength: 34, withPad: " ", startingAt: 0) + "     belay (s)    python (s)   belay/python")
        for (name, directory) in datasets {
            print("\n\(name)")
            var counts = (kept: 0, disagreements: 0)
            let swiftTimes = try timeSwift(directory: directory, cleaningCounts: &counts)
            let pythonTimes = skipPython ? [:] : runPython(script: script, directory: directory)
            if let kept = pythonTimes["features_kept"], let disagreeing = pythonTimes["features_disagreements"],
                Int(kept) != counts.kept || Int(disagreeing) != counts.disagreements {
                printError("the two sides' labels differ (kept \(counts.kept) vs \(Int(kept)), location column vs cleaning "
                    + "disagreeing on \(counts.disagreements) vs \(Int(disagreeing))): the features step is not like for like")
            }
            for step in Step.allCases {
                let s = swiftTimes[step] ?? .nan
                let p = pythonTimes[step.rawValue] ?? .nan
                let ratio = p.isFinite && p > 0 ? String(format: "%13.2f", s / p) : "            -"
                let pText = p.isFinite ? String(format: "%13.3f", p) : "            -"
                print("  " + step.title.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%13.3f", s) + " " + pText + "  " + ratio)
            }
        }
        if scale > 0 { try scaleRun(scratch: scratch) }
        if classSize > 0 || swiftClass > 0 { try await gradingRun(scratch: scratch) }
        if notebookRuns > 0 { try await notebookRun(scratch: scratch) }
        if killResumeTrials > 0 { try killResumeRun(scratch: scratch) }
    }

    /// Seconds per notebook: Belay's sandboxed run of Tests/Notebooks/course_steps.ipynb (fresh kernel, every cell,
    /// then the search for the work) against the same notebook run plainly, by `jupyter nbconvert --to notebook
    /// --execute` or, without nbconvert, by nbclient directly, in a folder holding the course's files. Both sides get
    /// one BLAS thread (the sandbox's setting). Skipped, with the reason, when Python or nbclient is missing.
    func notebookRun(scratch: URL) async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let notebook = repository.appendingPathComponent("Tests/Notebooks/course_steps.ipynb")
        print("\nNotebooks (course_steps.ipynb: the course's steps in student style, embedded data; best of \(notebookRuns))")
        guard FileManager.default.fileExists(atPath: notebook.path) else {
            print("  skipped: \(notebook.path) is not here (run bench from a checkout of the repository)")
            return
        }
        var selection = RouteSelection()
        selection.route = try benchRoute.id
        let setup = try GradingSetup.make(route: selection, dataOptions: try DataOptions.parse([]), rubricPath: nil)
        let dataset = setup.dataset
        // Belay's side: the sandboxed run and the search, as `grade` does it (a folder holding only the notebook).
        let grader = setup.reference.grader(
            GraderOptions(audience: .instructor, belayVersion: belayVersion, notebookRun: NotebookRunOptions(python: python),
                          drawsFigures: false))
        var belayBest = Double.infinity
        var notes = ""
        for run in 0..<notebookRuns {
            let folder = scratch.appendingPathComponent("belay-notebook-\(run)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: notebook, to: folder.appendingPathComponent("course_steps.ipynb"))
            let start = DispatchTime.now().uptimeNanoseconds
            let report = await grader.grade(submissionAt: folder, name: "bench\(run)", sha256: "")
            belayBest = min(belayBest, seconds(since: start))
            notes = report.properties.first { $0.name == "sandbox.notes" }?.value ?? ""
            if notes.hasPrefix("the notebook was not run") {
                print("  skipped: \(notes)")
                return
            }
        }
        // The plain side, in the same run.
        let interpreter = python
        func succeeds(_ code: String) -> Bool {
            runPlain([interpreter, "-c", code], in: scratch).status == 0
        }
        guard succeeds("import nbclient, ipykernel") else {
            print("  skipped: \(python) lacks nbclient or ipykernel (pip install nbclient ipykernel, or scripts/setup)")
            return
        }
        let nbconvert = succeeds("import nbconvert")
        let plainName = nbconvert ? "plain `jupyter nbconvert --to notebook --execute`" : "plain nbclient (jupyter nbconvert is not installed)"
        var plainBest = Double.infinity
        for run in 0..<notebookRuns {
            let folder = scratch.appendingPathComponent("plain-notebook-\(run)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: notebook, to: folder.appendingPathComponent("course_steps.ipynb"))
            try FileManager.default.copyItem(
                atPath: dataset.sheetPath, toPath: folder.appendingPathComponent(CourseDataset.sheetFileName).path)
            try FileManager.default.copyItem(
                atPath: dataset.embeddingPath,
                toPath: folder.appendingPathComponent(dataset.embeddingPath.hasSuffix(".gz") ? "mtb_full.h5.gz" : "mtb_full.h5").path)
            let command =
                nbconvert
                ? [python, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", "course_steps.ipynb"]
                : [python, "-c", "import nbformat, nbclient; nb = nbformat.read('course_steps.ipynb', as_version=4); "
                    + "nbclient.NotebookClient(nb, timeout=600, resources={'metadata': {'path': '.'}}).execute(); "
                    + "nbformat.write(nb, 'executed.ipynb')"]
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = runPlain(command, in: folder)
            let elapsed = seconds(since: start)
            guard outcome.status == 0 else {
                print("  skipped: the plain run failed (status \(outcome.status)): \(outcome.error.suffix(600))")
                return
            }
            plainBest = min(plainBest, elapsed)
        }
        print(String(format: "  Belay, sandboxed (private uid, no network, limits; kernel, cells, search for the work): %.2f s per notebook", belayBest))
        print(String(format: "  %@: %.2f s per notebook", plainName, plainBest))
        print(String(format: "  belay/plain: %.2f", belayBest / plainBest))
        print("  sandbox: \(notes)")
    }

    /// Runs `command` (its first element looked up on `PATH`) in `folder` with one BLAS thread.
    func runPlain(_ command: [String], in folder: URL) -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        env["OMP_NUM_THREADS"] = "1"
        env["MKL_NUM_THREADS"] = "1"
        process.environment = env
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch { return (-1, "\(error)") }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Times what instructors wait for: the reference once, then a class of CSV submissions (each a variation of
    /// the reference solution with a few mistakes) and a few Swift packages, graded in parallel.
    func gradingRun(scratch: URL) async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        print("\nGrading (real data, instructor mode: every check, hidden ones included; \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        var start = DispatchTime.now().uptimeNanoseconds
        var selection = RouteSelection()
        selection.route = try benchRoute.id
        let setup = try GradingSetup.make(route: selection, dataOptions: try DataOptions.parse([]), rubricPath: nil)
        // A result store of this run's own, empty at the start: the first submission's reruns are computed.
        let store = ResultStore(directory: scratch.appendingPathComponent("result-store"), build: ResultStore.buildIdentity(belayVersion: belayVersion))
        let grader = setup.grader(audience: .instructor, resultStore: store)
        print(String(format: "  reference run (once per batch): %.2f s", seconds(since: start)))
        if classSize > 0 {
            let klass = scratch.appendingPathComponent("class")
            let solution = repository.appendingPathComponent("solutions/\(setup.route.id)")
            for i in 0..<classSize {
                let student = klass.appendingPathComponent(String(format: "student%03d", i))
                try FileManager.default.createDirectory(at: student, withIntermediateDirectories: true)
                for file in ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv", "reflection.md"] {
                    var text = try String(contentsOf: solution.appendingPathComponent(file), encoding: .utf8)
                    // Vary the class: every third student reports a different figure, every fifth drops rows.
                    if file == "metrics.csv", i % 3 == 1 { text = text.replacingOccurrences(of: "random_split_accuracy,", with: "random_split_accuracy,0.9") }
                    if file == "features.csv", i % 5 == 2 { text = text.split(separator: "\n").dropLast(40).joined(separator: "\n") + "\n" }
                    try Data(text.utf8).write(to: student.appendingPathComponent(file))
                }
            }
            start = DispatchTime.now().uptimeNanoseconds
            var cpuBefore = cpuSeconds()
            let one = await grader.grade(submissionAt: klass.appendingPathComponent("student000"), name: "one")
            let single = seconds(since: start)
            let singleCPU = cpuSeconds() - cpuBefore
            // The same submission again in a new run (a new reference, so nothing is held in memory), reading the
            // reruns the first run kept in the result store: a student's second `belay check`, or a regrade.
            let again = try GradingSetup.make(route: selection, dataOptions: try DataOptions.parse([]), rubricPath: nil)
                .grader(audience: .instructor, resultStore: store)
            start = DispatchTime.now().uptimeNanoseconds
            cpuBefore = cpuSeconds()
            let kept = await again.grade(submissionAt: klass.appendingPathComponent("student000"), name: "one")
            let keptSeconds = seconds(since: start)
            let keptCPU = cpuSeconds() - cpuBefore
            // A correct submission whose splits are the student's own (another seed): its Exercise 3 reruns, homology
            // audits and clusterings of its split are new; Exercise 1's are on Belay's seeds, prepared with the reference.
            let own = klass.appendingPathComponent("own-splits")
            try FileManager.default.copyItem(at: klass.appendingPathComponent("student000"), to: own)
            try Self.reseedSplits(in: own, seed: 7)
            start = DispatchTime.now().uptimeNanoseconds
            cpuBefore = cpuSeconds()
            _ = await grader.grade(submissionAt: own, name: "own")
            let ownSeconds = seconds(since: start)
            let ownCPU = cpuSeconds() - cpuBefore
            try FileManager.default.removeItem(at: own)
            start = DispatchTime.now().uptimeNanoseconds
            cpuBefore = cpuSeconds()
            let results = try await gradeClass(klass, out: scratch.appendingPathComponent("grades"), grader: grader, setup: setup)
            let total = seconds(since: start)
            let cpu = cpuSeconds() - cpuBefore
            let cores = ProcessInfo.processInfo.activeProcessorCount
            // Targets of issue 12; there is no Python grader to compare with, so the ratio is to the target.
            print(String(format: "  one CSV submission (the first, reruns from scratch): %.3f s wall, %.3f CPU-s (%d checks); "
                         + "target <= 0.1 s: ratio %.2f; no Python equivalent", single, singleCPU, one.results.count, single / 0.1))
            print(String(format: "  a correct submission with its own random and clustered splits (first ever): %.3f s wall, %.3f CPU-s; "
                         + "target <= 0.1 s: ratio %.2f; no Python equivalent", ownSeconds, ownCPU, ownSeconds / 0.1))
            print(String(format: "  the same submission in a new run, reruns read from the result store: %.3f s wall, %.3f CPU-s; "
                         + "target <= 0.1 s: ratio %.2f; report %@ the first run's", keptSeconds, keptCPU, keptSeconds / 0.1,
                         sameVerdicts(kept, one) ? "identical to" : "DIFFERENT from"))
            print(String(format: "  class of %d CSV submissions: %.2f s in all, %.3f s per student wall, %.3f CPU-s per student, "
                         + "reports and gradebook included (%d graded); target <= 0.05 s per student: ratio %.2f; no Python equivalent",
                         classSize, total, total / Double(classSize), cpu / Double(classSize),
                         results.filter { $0.status == .graded }.count, total / Double(classSize) / 0.05))
            print(String(format: "  CPU utilisation of the class run: %.0f%% (%.2f s user+sys CPU / %.2f s wall / %d cores; load average %@)",
                         100 * cpu / max(total, 1e-9) / Double(cores), cpu, total, cores, loadAverage()))
            // A class where every student drew their own splits (seeds 101, 102, ...): nothing of Exercise 3 is
            // shared between students, as in a real class; Exercise 1's reruns are the reference run's.
            let distinct = scratch.appendingPathComponent("own-splits-class")
            let distinctSize = min(classSize, 30)
            for i in 0..<distinctSize {
                let student = distinct.appendingPathComponent(String(format: "student%03d", i))
                try FileManager.default.copyItem(at: klass.appendingPathComponent("student000"), to: student)
                try Self.reseedSplits(in: student, seed: 101 + UInt64(i))
            }
            start = DispatchTime.now().uptimeNanoseconds
            cpuBefore = cpuSeconds()
            let distinctResults = try await gradeClass(
                distinct, out: scratch.appendingPathComponent("own-splits-grades"), grader: grader, setup: setup)
            let distinctTotal = seconds(since: start)
            let distinctCPU = cpuSeconds() - cpuBefore
            print(String(format: "  class of %d CSV submissions, each with its own splits (first ever): %.2f s in all, %.3f s per student "
                         + "wall, %.3f CPU-s per student (%d graded); no target, no Python equivalent",
                         distinctSize, distinctTotal, distinctTotal / Double(distinctSize), distinctCPU / Double(distinctSize),
                         distinctResults.filter { $0.status == .graded }.count))
        }
        if swiftClass > 0 {
            let klass = scratch.appendingPathComponent("swift-class")
            let package = repository.appendingPathComponent("solutions/\(setup.route.id)/swift")
            for i in 0..<swiftClass {
                try FileManager.default.copyItem(at: package, to: klass.appendingPathComponent("swift\(i)"))
            }
            start = DispatchTime.now().uptimeNanoseconds
            let first = await grader.grade(submissionAt: klass.appendingPathComponent("swift0"), name: "swift0")
            let single = seconds(since: start)
            start = DispatchTime.now().uptimeNanoseconds
            let results = try await gradeClass(klass, out: scratch.appendingPathComponent("swift-grades"), grader: grader, setup: setup)
            let total = seconds(since: start)
            print(String(format: "  one Swift package (ExerciseKit already cached): %.2f s (sandbox: %@)", single, first.property("sandbox.notes") ?? ""))
            print(String(format: "  %d Swift packages in parallel: %.2f s in all, %.2f s per package (%d graded)",
                         swiftClass, total, total / Double(swiftClass), results.filter { $0.status == .graded }.count))
        }
    }

    /// Rewrites a Route 019 submission's splits.csv as a student with another seed would: a random split and a
    /// clustered split (whole clusters of its clusters.csv) of the same proteins, both with `seed`.
    static func reseedSplits(in folder: URL, seed: UInt64) throws {
        let clusters = try CSVTable.read(contentsOf: folder.appendingPathComponent("clusters.csv"))
        let splits = try CSVTable.read(contentsOf: folder.appendingPathComponent("splits.csv"))
        guard let clusterID = clusters.columnIndex("cluster_id"), let clusterProtein = clusters.columnIndex("protein_id"),
              let splitProtein = splits.columnIndex("protein_id")
        else { throw ValidationError("the bench's submission lacks the splits.csv or clusters.csv columns") }
        let clusterOf = Dictionary(
            clusters.rows.compactMap { row in Int(row[clusterID]).map { (row[clusterProtein], $0) } }, uniquingKeysWith: { a, _ in a })
        let ids = splits.rows.map { $0[splitProtein] }
        let random = randomSplit(count: ids.count, testFraction: 0.2, seed: seed)
        let clustered = clusteredSplit(clusterLabels: ids.map { clusterOf[$0] ?? -1 }, testFraction: 0.2, seed: seed)
        let side = { (test: Bool) in test ? "test" : "train" }
        let text = CSVWriter.render(
            header: ["protein_id", "random_split", "clustered_split"],
            rows: ids.indices.map { [ids[$0], side(random[$0]), side(clustered[$0])] })
        try Data(text.utf8).write(to: folder.appendingPathComponent("splits.csv"))
    }

    /// Grades `klass` on all cores, every student afresh, as `belay grade` does.
    func gradeClass(_ klass: URL, out: URL, grader: any SubmissionGrader, setup: GradingSetup) async throws -> [StudentResult] {
        try await ClassGrader(
            grader: grader, rubricSHA: setup.rubric.sha256, dataSHA: setup.reference.dataSHA256, belayVersion: belayVersion,
            jobs: ProcessInfo.processInfo.activeProcessorCount, timeoutSeconds: 300, reproducible: true
        ).grade(classDirectory: klass, outDirectory: out, only: nil, force: true, progress: { _ in })
    }

    /// Whether two reports of one submission say the same, check by check (durations aside).
    func sameVerdicts(_ a: GradeReport, _ b: GradeReport) -> Bool {
        func said(_ report: GradeReport) -> [[String]] {
            report.results.map { [$0.id, "\($0.outcome)", "\($0.pointsEarned)", $0.message, $0.details, $0.hint ?? ""] }
        }
        return said(a) == said(b)
    }

    func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// User + system CPU seconds of this process and its finished children (getrusage).
    func cpuSeconds() -> Double {
        func total(_ who: Int32) -> Double {
            var usage = rusage()
            getrusage(who, &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return total(RUSAGE_SELF.rawValue) + total(RUSAGE_CHILDREN.rawValue)
    }

    /// The 1, 5 and 15-minute load averages ("-" where unavailable): other work on the machine skews every figure.
    func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "-" }
        return loads.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    enum Step: String, CaseIterable {
        case load, features, similarityClusters = "similarity_clusters", classifiers, pipeline
        var title: String {
            switch self {
            case .load: "read xlsx + h5.gz"
            case .features: "clean labels + 21 features"
            case .similarityClusters: "cosine + connected components"
            case .classifiers: "4 logistic regressions"
            case .pipeline: "whole pipeline"
            }
        }
    }

    func best(_ body: () throws -> Void) rethrows -> Double {
        var bestTime = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            bestTime = min(bestTime, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return bestTime
    }

    func timeSwift(directory: URL, cleaningCounts: inout (kept: Int, disagreements: Int)) throws -> [Step: Double] {
        var times: [Step: Double] = [:]
        var dataset: CourseDataset?
        times[.load] = try best { dataset = try CourseDataset.load(directory: directory) }
        guard let dataset else { return times }
        let threshold = dataset.threshold(override: nil)
        // Exercise 0 as the reference does it (Route019Reference.init, LabelReference): every distinct protein's
        // text cleaned; the label is the sheet's `location` column when it has one (normalized, one of the
        // classes), else the cleaning's; rows where the two disagree counted; 21 features of the kept rows into
        // one row-major matrix. The Python side does the same work by the same rule.
        let cleaner = LabelCleaner()
        let classes = cleaner.mapping.classes
        var ids: [String] = []
        var labels: [String] = []
        var base: [Double] = []
        var disagreements = 0
        times[.features] = best {
            ids = []; labels = []; base = []; disagreements = 0
            base.reserveCapacity(dataset.proteins.count * 21)
            let usesColumn = dataset.proteins.contains { $0.givenLocation.map { !LabelReference.normalize($0).isEmpty } ?? false }
            var seen = Set<String>(minimumCapacity: dataset.proteins.count)
            for p in dataset.proteins where seen.insert(p.id).inserted {
                let outcome = dataset.locationSource == .uniprot ? cleaner.clean(uniprotLocation: p.locationText) : cleaner.clean(goTerms: p.locationText)
                let label: String?
                if usesColumn {
                    // A cell that already is a class is its own normalization; only other cells are normalized.
                    label = p.givenLocation.flatMap { v in
                        classes.contains(v) ? v : { n in classes.contains(n) ? n : nil }(LabelReference.normalize(v))
                    }
                    if label != outcome.label { disagreements += 1 }
                } else {
                    label = outcome.label
                }
                guard let label else { continue }
                ids.append(p.id); labels.append(label); appendFeatureRow(p.sequence, to: &base)
            }
        }
        cleaningCounts = (ids.count, disagreements)
        let alignment = alignIDs(labelIDs: ids, embeddingIDs: dataset.embeddingIDs)
        let matrix = dataset.embeddings.subset(alignment.embeddingRows)
        times[.similarityClusters] = best { _ = thresholdClusters(matrix.normalizedRows(), threshold: threshold) }
        let encoder = LabelEncoder(labels: labels)
        let codes = labels.map { encoder.encode($0) ?? 0 }
        let k = encoder.classes.count
        var leaked: [Double] = []
        leaked.reserveCapacity(ids.count * 22)
        for (r, code) in codes.enumerated() { leaked += base[(r * 21)..<(r * 21 + 21)]; leaked.append(Double(code)) }
        let split = randomSplit(count: ids.count, testFraction: 0.2, seed: 42)
        let alignedCodes = alignment.kept.map { codes[$0] }
        let embedded = matrix.normalizedRows()
        let clustering = thresholdClusters(embedded, threshold: threshold)
        let randomIsTest = randomSplit(count: embedded.count, testFraction: 0.2, seed: 42)
        let clusteredIsTest = clusteredSplit(clusterLabels: clustering.labels, testFraction: 0.2, seed: 42)
        let values = embedded.values.map(Double.init)
        times[.classifiers] = best {
            _ = trainAndScore(features: leaked, rows: ids.count, columns: 22, labels: codes, classCount: k, isTest: split)
            _ = trainAndScore(features: base, rows: ids.count, columns: 21, labels: codes, classCount: k, isTest: split)
            _ = trainAndScore(features: values, rows: embedded.count, columns: embedded.dimension, labels: alignedCodes, classCount: k, isTest: randomIsTest)
            _ = trainAndScore(features: values, rows: embedded.count, columns: embedded.dimension, labels: alignedCodes, classCount: k, isTest: clusteredIsTest)
        }
        let route = try benchRoute
        let parameters = RouteParameters(rubric: try route.loadRubric(at: nil))
        times[.pipeline] = try best {
            let d = try CourseDataset.load(directory: directory)
            _ = try route.reference(parameters, dataset: d)
        }
        return times
    }

    func runPython(script: URL, directory: URL) -> [String: Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script.path, directory.path, String(repeats)]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = String(threads)
        env["OMP_NUM_THREADS"] = String(threads)
        process.environment = env
        let pipe = Pipe()
        let errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        do { try process.run() } catch {
            printError("cannot run \(python): \(error)")
            return [:]
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Double]
        else {
            printError("the Python side failed (status \(process.terminationStatus)): \(errorText.suffix(2000))")
            return [:]
        }
        return object
    }

    func scaleRun(scratch: URL) throws {
        print("\nScale: \(scale) generated proteins, 1024-d, all of them clustered")
        var config = SynthConfig()
        config.proteins = scale
        config.labeled = scale
        config.dimension = 1024
        config.missingEmbeddingShare = 0
        let data = SynthGenerator.generate(config)
        let matrix = EmbeddingMatrix(count: data.embeddingIDs.count, dimension: 1024, values: data.embeddings).normalizedRows()
        let start = DispatchTime.now().uptimeNanoseconds
        let clustering = thresholdClusters(matrix, threshold: 0.8)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        print(String(format: "  clustering: %.2f s, %d clusters (largest %d); peak resident memory of this process: %.0f MiB (the full %d x %d matrix alone would be %.0f MiB)",
                     seconds, clustering.stats.count, clustering.stats.largest, peakMiB, scale, scale, Double(scale) * Double(scale) * 4 / 1_048_576))
    }
}

/// Route 019's classes and exact rules (lower-cased term -> classes) as JSON, for the Python side's cleaning.
let pythonClassesJSON = String(decoding: (try? JSONSerialization.data(withJSONObject: LocationMapping.route019.classes)) ?? Data("[]".utf8), as: UTF8.self)
let pythonRulesJSON: String = {
    var rules: [String: [String]] = [:]
    for rule in LocationMapping.route019.rules where rule.match == .exact {
        let key = rule.term.lowercased()
        if !(rules[key] ?? []).contains(rule.label) { rules[key, default: []].append(rule.label) }
    }
    return String(decoding: (try? JSONSerialization.data(withJSONObject: rules, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
}()

/// The same steps in Python, as a course notebook would write them (pandas/openpyxl, h5py, NumPy, SciPy, scikit-learn),
/// with Belay's reference labelling rule (the sheet's `location` column, else `LabelCleaner`'s rule ported line by line).
let pythonPipeline = #"""
import gzip, io, json, re, sys, time
import numpy as np, pandas as pd, h5py
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split
import os, glob

folder, repeats = sys.argv[1], int(sys.argv[2])
AA = "ACDEFGHIKLMNPQRSTVWY"
META = os.path.join(folder, "belay-dataset.json")
threshold = json.load(open(META)).get("recommended_threshold", 0.8) if os.path.exists(META) else 0.8

# Belay's reference rule (LabelCleaner with LocationMapping.route019, exact terms, case-insensitive), from Belay.
CLASSES = json.loads(r"""\#(pythonClassesJSON)""")
RULES = {k: frozenset(v) for k, v in json.loads(r"""\#(pythonRulesJSON)""").items()}
WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
TAGS = re.compile(r"\{[^{}]*\}")
BLOCK = re.compile("SUBCELLULAR LOCATION:", re.I)
NOTE = re.compile("note=", re.I)
TERMS = re.compile(r"[;.]")
NONE = frozenset()

def votes(term):
    return RULES.get(term.lower(), NONE)

def location_votes(term):
    v = votes(term)
    if not v and "," in term:
        head = term.split(",", 1)[0].strip(WS)
        if head: v = votes(head)
    return v

def untagged(text):
    plain = TAGS.sub("", text)
    if "{" not in plain: return plain
    out, depth = [], 0  # nested or unbalanced evidence tags: count depth as the reference does
    for c in text:
        if c == "{": depth += 1
        elif c == "}" and depth > 0: depth -= 1
        elif depth == 0: out.append(c)
    return "".join(out)

def clean_uniprot(text):
    hits = set()
    for block in BLOCK.split(untagged(text)):
        m = NOTE.search(block)
        if m: block = block[:m.start()]
        block = block.strip(WS)
        if block.startswith("[") and "]" in block:
            block = block[block.index("]") + 1:].strip(WS)
            if block.startswith(":"): block = block[1:]
        for part in TERMS.split(block):
            term = part.strip(WS)
            if term: hits |= location_votes(term)
    return next(iter(hits)) if len(hits) == 1 else None

def clean_go(text):
    hits = set()
    for part in text.split(";"):
        cut = part.rfind("[GO:")
        name = (part[:cut] if cut >= 0 else part).strip(WS)
        if name: hits |= votes(name)
    return next(iter(hits)) if len(hits) == 1 else None

def load():
    sheet = pd.read_excel(glob.glob(os.path.join(folder, "*.xlsx"))[0])
    path = [p for p in glob.glob(os.path.join(folder, "*.h5*"))][0]
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    with h5py.File(io.BytesIO(raw), "r") as f:
        wanted = [i for i in sheet["Entry"].astype(str) if i in f]
        emb = {i: f[i][()].astype(np.float32) for i in wanted}
    return sheet, emb

def features(sheet):
    # As Belay's reference: each distinct protein's text cleaned; the sheet's cleaned `location` column is the
    # label when it has one (normalized, one of the classes), else the cleaning; disagreements counted.
    sheet = sheet.drop_duplicates("Entry")
    col = "Subcellular location [CC]" if "Subcellular location [CC]" in sheet.columns else "Gene Ontology (cellular component)"
    clean = clean_uniprot if col.startswith("Subcellular") else clean_go
    cleaned = sheet[col].fillna("").astype(str).map(clean)
    given = sheet["location"].fillna("").astype(str).str.lower().str.split().str.join(" ") if "location" in sheet.columns else None
    disagreements = 0
    if given is not None and (given != "").any():
        labels = given.where(given.isin(CLASSES))
        disagreements = int((labels.fillna("") != cleaned.fillna("")).sum())
    else:
        labels = cleaned
    keep = labels.notna()
    kept = sheet[keep].copy()
    kept["label"] = labels[keep]
    seqs = kept["Sequence"].astype(str)
    X = np.array([[len(s)] + [s.count(a) for a in AA] for s in seqs], dtype=float)
    return kept, X, disagreements

def clusters(E):
    S = cosine_similarity(E)
    A = csr_matrix(S > threshold)
    return connected_components(A, directed=False)

def model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))

def classifiers(kept, X, emb, labels_of_cluster):
    y = pd.factorize(kept["label"], sort=True)[0]
    Xl = np.column_stack([X, y])
    for F in (Xl, X):
        a, b, ya, yb = train_test_split(F, y, test_size=0.2, random_state=42)
        model().fit(a, ya).score(b, yb)
    ids = [i for i in kept["Entry"].astype(str) if i in emb]
    ye = pd.factorize(kept.set_index(kept["Entry"].astype(str)).loc[ids, "label"], sort=True)[0]
    E = np.stack([emb[i] for i in ids])
    a, b, ya, yb = train_test_split(E, ye, test_size=0.2, random_state=42)
    model().fit(a, ya).score(b, yb)
    n, lab = labels_of_cluster
    rng = np.random.default_rng(42)
    test_clusters = set(rng.choice(n, size=max(1, int(round(0.2 * n))), replace=False))
    mask = np.array([l in test_clusters for l in lab])
    if 0 < mask.sum() < len(mask):
        model().fit(E[~mask], ye[~mask]).score(E[mask], ye[mask])

def best(f):
    t = float("inf")
    for _ in range(repeats):
        s = time.perf_counter(); f(); t = min(t, time.perf_counter() - s)
    return t

out = {}
out["load"] = best(load)
sheet, emb = load()
out["features"] = best(lambda: features(sheet))
kept, X, disagreements = features(sheet)
out["features_kept"] = len(kept)
out["features_disagreements"] = disagreements
ids = [i for i in kept["Entry"].astype(str) if i in emb]
E = np.stack([emb[i] for i in ids])
out["similarity_clusters"] = best(lambda: clusters(E))
cc = clusters(E)
out["classifiers"] = best(lambda: classifiers(kept, X, emb, cc))
def pipeline():
    s, e = load(); k, x, _ = features(s)
    i2 = [i for i in k["Entry"].astype(str) if i in e]
    classifiers(k, x, e, clusters(np.stack([e[i] for i in i2])))
out["pipeline"] = best(pipeline)
print(json.dumps(out))
"""#
