public import BelayRoute
public import Foundation
import BelayData
import BelayFormats
import BelayChecksum
import BelaySandbox
import Synchronization

extension Route019Submission {
    /// The notebook to run when `url` is one (`work.ipynb`) or a folder holding one and none of the contract's CSV
    /// files; nil otherwise (a folder of CSV files is graded as handed in).
    public static func notebookToRun(_ url: URL) -> URL? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue { return url.pathExtension.lowercased() == "ipynb" ? url : nil }
        let files = listFiles(locateRoot(url))
        let names = Set(files.map { $0.lastPathComponent.lowercased() })
        guard names.isDisjoint(with: contractFiles) else { return nil }
        return files.first { $0.pathExtension.lowercased() == "ipynb" }
    }

    static let contractFiles: Set<String> = [
        FileName.features, FileName.labelEncoding, FileName.clusters, FileName.splits, FileName.metrics,
    ]

    /// Runs the notebook at `notebook` in the sandbox with the course's files beside it, finds the work in its
    /// kernel and returns the submission that work makes, with the executed notebook's provenance and
    /// ``findings`` saying where each artefact came from. Never throws: a notebook that cannot run, or Belay
    /// lacking Python, is graded from its saved outputs, and the report says why.
    public static func runningNotebook(
        at notebook: URL, name: String, reference: Route019Reference, options: NotebookRunOptions
    ) async -> Route019Submission {
        let fm = FileManager.default
        let studentFolder = notebook.deletingLastPathComponent()
        func savedOutputs(_ why: String) -> Route019Submission {
            var submission = loadSingleNotebook(notebook, name: name)
            submission.sandboxNotes = "the notebook was not run (\(why)); graded from the outputs saved in it"
            return submission
        }
        if let size = fileSize(notebook), size > maxFileBytes { return load(directory: studentFolder, name: name) }
        let python: NotebookPython
        switch NotebookPython.locate(options.python) {
        case .success(let found): python = found
        case .failure(let why): return savedOutputs(why.description)
        }
        guard let driver = resource("belay_driver.py"), let finder = resource("belay_find.py") else {
            return savedOutputs("Belay's notebook driver is missing from its resources")
        }
        let work = fm.temporaryDirectory.appendingPathComponent("belay-notebook-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: work) }
        do {
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
            // The student's other files first (helper modules, their own data), then the course's files and Belay's
            // driver under their fixed names, which win.
            for file in listFiles(studentFolder).prefix(50)
            where !contractFiles.contains(file.lastPathComponent.lowercased()) && (fileSize(file) ?? 0) <= maxFileBytes
                && file != notebook && !file.lastPathComponent.hasPrefix("belay_")
            {
                try fm.copyItem(at: file, to: work.appendingPathComponent(file.lastPathComponent))
            }
            var staged = [
                (notebook.path, "notebook.ipynb"), (reference.dataset.sheetPath, CourseDataset.sheetFileName),
                (driver.path, "belay_driver.py"), (finder.path, "belay_find.py"),
            ]
            staged += try embeddingFiles(reference.dataset.embeddingPath, for: notebook).map { ($0.path, $1) }
            // A copy of the course's data the student handed in is replaced by the course's own files: an unpacked
            // mtb_full.h5 beside mtb_full.h5.gz would make `!gunzip` stop and ask whether to overwrite it.
            for name in ["mtb_full.h5", "mtb_full.h5.gz"] { try? fm.removeItem(at: work.appendingPathComponent(name)) }
            for (source, target) in staged {
                let destination = work.appendingPathComponent(target)
                try? fm.removeItem(at: destination)
                try fm.copyItem(atPath: source, toPath: destination.path)
            }
        } catch {
            return savedOutputs("Belay could not prepare its working folder: \(error)")
        }

        var policy = NotebookRunner.policy(notebookSeconds: options.notebookSeconds)
        // The kernel, the driver and everything they start share one memory total, where the machine offers one.
        if case .success(let group) = SandboxMemoryGroup.create(limit: SandboxPolicy.studentMemoryTotal) {
            policy.memoryGroup = group
        }
        defer { policy.memoryGroup?.close() }
        let result = await NotebookRunner.run(
            driver: "belay_driver.py", in: work, python: python, cellSeconds: options.cellSeconds,
            notebookSeconds: options.notebookSeconds, policy: policy)

        // Everything below reads what untrusted code wrote: bounded, never through a link, malformed = the student's.
        let run = (try? NotebookRunner.readResult("belay_run.json", in: work, maxBytes: 1 << 20).get())
            .flatMap { try? JSONDecoder().decode(DriverReport.self, from: $0) }
        if run?.status == "missing" || run?.status == "kernel_failed" {
            return savedOutputs("the kernel could not be started in the sandbox: \(run?.message.prefix(300) ?? "")")
        }
        let found = (try? NotebookRunner.readResult("belay_found.json", in: work, maxBytes: 1 << 20).get())
            .flatMap { try? JSONDecoder().decode(FinderReport.self, from: $0) }

        // The graded folder: the executed notebook under the student's file name, and the CSV files found.
        let kept: URL
        if let keepIn = options.keepIn {
            kept = keepIn.appendingPathComponent(name).appendingPathComponent("notebook")
            try? fm.removeItem(at: kept)
        } else {
            kept = work.appendingPathComponent("belay_graded")
        }
        try? fm.createDirectory(at: kept, withIntermediateDirectories: true)
        var executed = false
        if case .success(let data) = NotebookRunner.readResult("belay_executed.ipynb", in: work, maxBytes: maxFileBytes) {
            executed = fm.createFile(atPath: kept.appendingPathComponent(notebook.lastPathComponent).path, contents: data)
        }
        let foundFolder = work.appendingPathComponent("belay_found")
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: foundFolder.path, isDirectory: &isFolder), isFolder.boolValue, lstatIsDirectory(foundFolder.path) {
            for file in contractFiles.sorted() {
                if case .success(let data) = NotebookRunner.readResult(file, in: foundFolder, maxBytes: maxFileBytes) {
                    _ = fm.createFile(atPath: kept.appendingPathComponent(file).path, contents: data)
                }
            }
        }
        if let found, let data = try? JSONEncoder().encode(found) {
            _ = fm.createFile(atPath: kept.appendingPathComponent("belay_found.json").path, contents: data)
        }

        var submission: Route019Submission
        if executed {
            submission = load(directory: kept, name: name)
        } else {
            // No executed notebook: the run was stopped as a whole. Nothing the notebook printed is trusted.
            submission = load(directory: kept, name: name)
            var facts = loadSingleNotebook(notebook, name: name).notebook
            facts?.errors.insert((0, "not run to the end", "the notebook " + result.explanation(policy: policy)), at: 0)
            submission.notebook = facts
            if case .absent = submission.reflection { submission.reflection = loadSingleNotebook(notebook, name: name).reflection }
        }
        submission.kind = "notebook"
        submission.directory = kept
        submission.notebookFindings = NotebookFindings(
            python: python, seconds: result.wallSeconds, ending: result.explanation(policy: policy),
            finished: result.succeeded && run != nil, driver: run, finder: found, keptIn: options.keepIn == nil ? nil : kept,
            stderrTail: String(result.stderrText.suffix(600)), unapplied: result.unappliedLimits)
        // What was not found (or found twice) becomes the artefact's problem, naming what was looked for.
        let missing = found?.artefacts ?? [:]
        func explain<T>(_ artefact: Artefact<T>, _ file: String) -> Artefact<T> {
            guard case .absent = artefact else { return artefact }
            if let entry = missing[file], entry.status != "found" {
                return .absent(
                    Problem(
                        location: file, message: (entry.status == "ambiguous" ? "is ambiguous in the notebook: " : "was not found in the notebook: ") + entry.message,
                        fix: entry.status == "ambiguous"
                            ? "Give the one you mean the course's name, or write the CSV files with the starter's submission cell."
                            : "Use the course's variable names at the notebook's top level, or end the notebook with the starter's submission cell."))
            }
            let why = submission.notebookFindings?.summary ?? ""
            return .absent(Problem(location: file, message: "was not found: \(why)", fix: Route019Checks.restartHint))
        }
        submission.features = explain(submission.features, FileName.features)
        submission.encoding = explain(submission.encoding, FileName.labelEncoding)
        submission.clusters = explain(submission.clusters, FileName.clusters)
        submission.splits = explain(submission.splits, FileName.splits)
        submission.metrics = explain(submission.metrics, FileName.metrics)
        submission.sandboxNotes = submission.notebookFindings?.summary
        return submission
    }

    /// The course's embedding file under the course's names for `notebook`'s working folder: always
    /// `mtb_full.h5.gz` (a gzip of a plain `.h5`, made once per process), so that `!gunzip mtb_full.h5.gz` works,
    /// and also `mtb_full.h5` (the `.h5.gz` decompressed once) unless the notebook's code names the `.h5.gz`
    /// (then it unpacks it itself, and a `mtb_full.h5` already there would make `gunzip` refuse).
    ///
    /// - Complexity: O(size of the file) the first time per dataset; a lookup afterwards.
    static func embeddingFiles(_ path: String, for notebook: URL) throws -> [(URL, String)] {
        let source = URL(fileURLWithPath: path)
        let gzipped = path.lowercased().hasSuffix(".gz")
        let compressed = gzipped ? source : try stagedConversion(of: source, compress: true)
        var files = [(compressed, "mtb_full.h5.gz")]
        if !notebookNamesGzippedEmbeddings(notebook) {
            files.append((gzipped ? try stagedConversion(of: source, compress: false) : source, "mtb_full.h5"))
        }
        return files
    }

    /// Whether a code cell of `notebook` mentions `.h5.gz` (the notebook unpacks the embeddings itself).
    static func notebookNamesGzippedEmbeddings(_ notebook: URL) -> Bool {
        guard let data = try? Data(contentsOf: notebook),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cells = json["cells"] as? [[String: Any]]
        else { return true }
        return cells.contains { cell in
            guard cell["cell_type"] as? String == "code" else { return false }
            let source = (cell["source"] as? [String])?.joined() ?? (cell["source"] as? String) ?? ""
            return source.lowercased().contains(".h5.gz")
        }
    }

    /// `source` gzipped (or gunzipped), made once in the temporary folder under a name that changes with the
    /// source's content, and reused by later runs (and later Belay processes) of the same data.
    static func stagedConversion(of source: URL, compress: Bool) throws -> URL {
        let fm = FileManager.default
        let attributes = try fm.attributesOfItem(atPath: source.path)
        let stamp = [
            source.standardizedFileURL.path, "\((attributes[.size] as? NSNumber)?.int64Value ?? 0)",
            "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)",
        ].joined(separator: "\n")
        return try stagedConversions.withLock { contentHashes in
            // The content's hash, once per file and process.
            let hash: String
            if let known = contentHashes[stamp] {
                hash = known
            } else {
                hash = try SHA256.hex(ofFiles: [source])
                contentHashes[stamp] = hash
            }
            let target = fm.temporaryDirectory.appendingPathComponent(
                "belay-course-" + hash.prefix(16) + (compress ? ".h5.gz" : ".h5"))
            if fm.fileExists(atPath: target.path) { return target }
            let partial = target.appendingPathExtension("partial-\(getpid())")
            defer { try? fm.removeItem(at: partial) }
            if compress {
                try Gzip.compress(Data(contentsOf: source), level: 1).write(to: partial)
            } else {
                try Gzip.decompressFile(at: source, to: partial)
            }
            // Another Belay may have made it meanwhile: either copy will do.
            if rename(partial.path, target.path) != 0, !fm.fileExists(atPath: target.path) {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
            }
            return target
        }
    }

    /// Content hashes of the course files converted so far, by path, size and modification time.
    private static let stagedConversions = Mutex<[String: String]>([:])

    /// A submission from the notebook file alone, graded from the outputs saved in it.
    static func loadSingleNotebook(_ notebook: URL, name: String) -> Route019Submission {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("belay-saved-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: scratch) }
        guard (try? fm.createDirectory(at: scratch, withIntermediateDirectories: true)) != nil,
            (try? fm.copyItem(at: notebook, to: scratch.appendingPathComponent(notebook.lastPathComponent))) != nil
        else { return load(directory: notebook.deletingLastPathComponent(), name: name) }
        var submission = load(directory: scratch, name: name)
        submission.directory = notebook.deletingLastPathComponent()
        return submission
    }

    static func lstatIsDirectory(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeDirectory
    }

    static func resource(_ name: String) -> URL? {
        ResourceLocator.locate(
            "019-leaky-pipeline/notebook/\(name)", target: "Route019",
            sourceDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent())
    }
}

/// What the driver reports about the run (`belay_run.json`).
struct DriverReport: Codable, Sendable {
    struct Cell: Codable, Sendable {
        var cell: Int
        var seconds: Double
        var timed_out: Bool
    }
    var status: String
    var cells: [Cell]
    var kernel_died: Int?
    var stopped_at: Int?
    var message: String
    var seconds: Double?
    var find_error: String?
}

/// What Belay's search found in the kernel (`belay_found.json`).
struct FinderReport: Codable, Sendable {
    struct Entry: Codable, Sendable {
        var status: String
        var source: String
        var message: String
    }
    var artefacts: [String: Entry]
    var notes: [String]
}

/// How a notebook was run and where its work was found, for the report.
public struct NotebookFindings: Sendable {
    var python: NotebookPython
    var seconds: Double
    var ending: String
    var finished: Bool
    var driver: DriverReport?
    var finder: FinderReport?
    /// Where the executed notebook and the found files are kept, if they are.
    public var keptIn: URL?
    /// The end of what the driver wrote to standard error.
    var stderrTail: String = ""
    /// Limits the sandbox could not apply here.
    var unapplied: [String] = []

    /// Artefact → where it came from ("`X` with ids df['Entry'], …"), for those found.
    public var sources: [(artefact: String, source: String)] {
        (finder?.artefacts ?? [:]).filter { $0.value.status == "found" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.source) }
    }

    /// Artefact → what was looked for, for those not found or ambiguous.
    public var problems: [(artefact: String, message: String)] {
        (finder?.artefacts ?? [:]).filter { $0.value.status != "found" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.status + ": " + $0.value.message) }
    }

    /// One paragraph: how the run went.
    public var summary: String {
        var parts = ["notebook run in the sandbox with Python \(python.version) in \(String(format: "%.1f", seconds)) s"]
        if !finished { parts.append("the run " + ending) }
        if let driver {
            if let dead = driver.kernel_died { parts.append(dead > 0 ? "the kernel died in cell \(dead)" : "the kernel died") }
            let slow = driver.cells.filter(\.timed_out).map { String($0.cell) }
            if !slow.isEmpty { parts.append("cell \(slow.joined(separator: ", ")) reached the per-cell time limit and was interrupted") }
            if driver.stopped_at != nil, !driver.message.isEmpty { parts.append(driver.message) }
            if let error = driver.find_error { parts.append("Belay's search failed: \(error.prefix(200))") }
        } else {
            parts.append("the driver left no report" + (stderrTail.isEmpty ? "" : ": " + stderrTail.suffix(300)))
        }
        if let note = python.note { parts.append(note) }
        if !unapplied.isEmpty { parts.append("not enforced here: " + unapplied.joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }
}
