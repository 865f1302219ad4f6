import BelayChecksum
public import BelayGrading
import BelayReports
public import BelayRoute
public import Foundation
import Synchronization

/// Grades a whole class: every subfolder or `.zip` of the class folder is one student.
///
/// Outputs, in `OUT`:
/// - `OUT/<student>/` one file per ``ReportFormat/all``: `junit.xml`, `report.txt` (plain terminal report),
///   `report.json`, `results.json` (Gradescope), `report.html` (self-contained page with figures) and
///   `.belay-cache.json`;
/// - `OUT/gradebook.csv`, `OUT/item-analysis.csv`, `OUT/junit.xml`, `OUT/class.html` (whole class, or the shard's
///   students);
/// - with a ``Shard``, `OUT/belay-shard.json` (``ShardManifest``), which ``GradebookMerge`` reads.
///
/// A broken submission never stops the batch: an unsafe or corrupt archive is that student's `error`
/// result, a submission over the time limit is a `timeout` result. A student whose submission hash,
/// rubric hash, data hash and belay version are unchanged since the last run is not regraded (unless `force`).
/// Submissions are opened (unpacked, hashed) by ``SubmissionInput``, as `belay check` opens them.
/// Output order is by student name, whatever order grading finished in.
///
/// A run killed at any point (even `kill -9`) loses nothing: every file is written with ``AtomicFile`` (a
/// temporary file renamed into place), a student's cache entry is removed before their reports are rewritten and
/// written last, and it records the SHA-256 of each report, so a rerun regrades exactly the students whose
/// reports are not all complete and current, takes the others from the cache, and deletes the temporary files
/// the killed run left.
public struct ClassGrader: Sendable {
    /// The route's grader.
    public let grader: any SubmissionGrader
    /// SHA-256 of the rubric (part of the cache key; every report carries it as `belay.rubric.sha256`).
    public var rubricSHA: String
    /// SHA-256 of the data the reference was built from (part of the cache key; `belay.data.sha256`).
    public var dataSHA: String
    /// The belay version (part of the cache key).
    public var belayVersion: String
    /// Submissions graded at the same time.
    public var jobs: Int
    /// Wall-clock limit per submission.
    public var timeoutSeconds: Double
    /// Write zero durations so reruns give identical bytes.
    public var reproducible: Bool
    /// Caps for unpacking `.zip` submissions.
    public var zipLimits: ZipLimits
    /// When a student's time is up, if not after ``timeoutSeconds`` of wall-clock time: tests pass an event
    /// ("this student's time is up at once, the others' never") so that no test depends on the machine's speed.
    var timeLimit: (@Sendable (_ student: String) async -> Void)?

    /// Creates a class grader; `jobs` defaults to the number of active cores.
    public init(
        grader: some SubmissionGrader, rubricSHA: String, dataSHA: String = "", belayVersion: String,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, timeoutSeconds: Double = 600,
        reproducible: Bool = false, zipLimits: ZipLimits = ZipLimits()
    ) {
        self.grader = grader
        self.rubricSHA = rubricSHA
        self.dataSHA = dataSHA
        self.belayVersion = belayVersion
        self.jobs = max(jobs, 1)
        self.timeoutSeconds = timeoutSeconds
        self.reproducible = reproducible
        self.zipLimits = zipLimits
    }

    /// One student's submission as found in the class folder.
    public struct Submission: Sendable, Equatable {
        /// The student's name: the folder name, or the archive name without `.zip`.
        public var name: String
        /// The folder or archive.
        public var url: URL
        /// Whether `url` is a `.zip` archive.
        public var isArchive: Bool
    }

    /// The submissions in `classDirectory`, sorted by name. Hidden entries and other files are ignored;
    /// a student with both `alice/` and `alice.zip` keeps the folder.
    public static func submissions(in classDirectory: URL) throws -> [Submission] {
        let fileManager = FileManager.default
        let entries: [URL]
        do {
            entries = try fileManager.contentsOfDirectory(
                at: classDirectory, includingPropertiesForKeys: [.isDirectoryKey, .isRegularFileKey])
        } catch {
            throw BatchError(path: classDirectory.path, message: "cannot read the class folder (\(error.localizedDescription))")
        }
        var byName: [String: Submission] = [:]
        for url in entries where !url.lastPathComponent.hasPrefix(".") {
            let values = try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey])
            if values?.isDirectory == true {
                byName[url.lastPathComponent] = Submission(name: url.lastPathComponent, url: url, isArchive: false)
            } else if values?.isRegularFile == true, url.pathExtension.lowercased() == "zip" {
                let name = url.deletingPathExtension().lastPathComponent
                if byName[name] == nil, !name.isEmpty {
                    byName[name] = Submission(name: name, url: url, isArchive: true)
                }
            }
        }
        return byName.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// What `.belay-cache.json` records: the key a rerun must match, the result, and the fingerprint of every
    /// report the entry vouches for.
    struct CacheEntry: Codable, Equatable {
        /// Entries of another layout (older Belay versions) are ignored.
        static let currentFormat = 3
        var format = currentFormat
        var submissionSHA: String
        var rubricSHA: String
        var dataSHA: String
        var belayVersion: String
        /// Reports written with zero durations or real ones: a rerun with the other setting regrades.
        var reproducible: Bool
        var status: StudentResult.Status
        var message: String
        /// SHA-256 of each file in ``ClassGrader/reportFiles``, by name.
        var files: [String: String] = [:]

        func hasSameKey(as other: CacheEntry) -> Bool {
            format == other.format && submissionSHA == other.submissionSHA && rubricSHA == other.rubricSHA
                && dataSHA == other.dataSHA
                && belayVersion == other.belayVersion && reproducible == other.reproducible
        }
    }

    static let cacheFile = ".belay-cache.json"
    /// A student's reports (one per ``ReportFormat/all``), in the order they are written (the cache entry comes
    /// after all of them).
    static var reportFiles: [String] { ReportFormat.all.map(\.fileName) }

    /// Grades the class.
    ///
    /// - Parameters:
    ///   - only: regrade just this student; the others come from their cached `report.json`
    ///     (status `error`, "not graded yet", when there is none), so the gradebook stays complete.
    ///   - force: regrade even unchanged submissions.
    ///   - shard: grade only this part of the class (see ``Shard``); the class files then cover the shard's
    ///     students, and `OUT/belay-shard.json` (``ShardManifest``) records the shard for `belay gradebook merge`.
    ///   - progress: called with lines like `[3/60] alice: 38/40` as students finish.
    /// - Returns: one result per student, sorted by name.
    /// - Throws: ``BatchError`` when the class folder cannot be read, `only` names no student, or outputs
    ///   cannot be written. Problems of single submissions are results, not errors.
    public func grade(
        classDirectory: URL, outDirectory: URL, only: String? = nil, force: Bool = false, shard: Shard? = nil,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> [StudentResult] {
        let everyone = try Self.submissions(in: classDirectory)
        let all = shard.map { shard in everyone.filter { shard.contains($0.name) } } ?? everyone
        if let only, !all.contains(where: { $0.name == only }) {
            let names = all.map(\.name).prefix(10).joined(separator: ", ")
            let inShard = shard.map { " in shard \($0)" } ?? ""
            throw BatchError(path: classDirectory.path, message: "no submission named '\(only)'\(inShard) (found: \(names))")
        }
        try Self.prepareOutput(outDirectory)
        for submission in all {
            AtomicFile.removeLeftovers(in: outDirectory.appendingPathComponent(submission.name, isDirectory: true))
        }
        Self.removeStaleScratch()
        let toGrade = all.filter { only == nil || $0.name == only }
        var results: [String: StudentResult] = [:]
        var reports: [String: GradeReport] = [:]
        for submission in all where only != nil && submission.name != only {
            let loaded = loadCached(submission.name, outDirectory: outDirectory)
            results[submission.name] = loaded.result
            reports[submission.name] = loaded.report
        }

        let total = toGrade.count
        var next = 0
        // Grading keeps `jobs` students on the cores; writing their reports (rendering, hashing, an fsync per file)
        // happens beside it on the writer, so a lane moves on to its next student instead of waiting for the disk.
        let finished = Finished()
        let writer = ReportWriter(width: max(2, jobs))
        await withTaskGroup(of: Graded.self) { group in
            func startNext() {
                guard next < toGrade.count else { return }
                let submission = toGrade[next]
                next += 1
                group.addTask { await self.gradeOne(submission, outDirectory: outDirectory, force: force) }
            }
            for _ in 0..<min(jobs, toGrade.count) { startNext() }
            while let graded = await group.next() {
                writer.submit {
                    var graded = graded
                    if let pending = graded.pendingStore {
                        self.store(&graded.result, report: graded.report, cache: pending.cache, in: pending.studentOut)
                        graded.pendingStore = nil
                    }
                    let done = finished.add(graded)
                    progress("[\(done)/\(total)] \(graded.result.name): \(graded.progressNote)")
                }
                startNext()
            }
        }
        await writer.drain()
        for graded in finished.all {
            results[graded.result.name] = graded.result
            reports[graded.result.name] = graded.report
        }

        let ordered = all.compactMap { results[$0.name] }
        try Self.writeClassReports(
            ordered, reports: all.compactMap { reports[$0.name] }, route: grader.routeID, reproducible: reproducible,
            to: outDirectory)
        if let shard {
            let manifest = ShardManifest(
                shard: shard.index, of: shard.count, classSize: everyone.count,
                classSHA256: ShardManifest.classHash(everyone.map(\.name)), route: grader.routeID,
                rubricSHA256: rubricSHA, dataSHA256: dataSHA, belayVersion: belayVersion, reproducible: reproducible,
                students: ordered.map { ShardManifest.Student(name: $0.name, status: $0.status, message: $0.message) })
            try Self.write(try manifest.encoded(), to: outDirectory.appendingPathComponent(ShardManifest.fileName))
        }
        return ordered
    }

    /// Creates the output folder and deletes what a killed run left half-written there (never read: see
    /// `validCache`). Shared by grading and by merging shards.
    static func prepareOutput(_ out: URL) throws {
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        } catch {
            throw BatchError(path: out.path, message: "cannot create the output folder (\(error.localizedDescription))")
        }
        AtomicFile.removeLeftovers(in: out)
    }

    /// Writes the class files, `gradebook.csv`, `item-analysis.csv`, the combined `junit.xml` and `class.html`,
    /// from the students' results and the reports their files were rendered from (stand-ins for error and timeout
    /// results), both sorted by name. `belay grade` and `belay gradebook merge` both write through here, so a
    /// merge of shards cannot drift from a single run; the class page's title is the reports' own route title for
    /// the same reason (a merge has no grader to ask).
    static func writeClassReports(
        _ results: [StudentResult], reports: [GradeReport], route: String, reproducible: Bool, to outDirectory: URL
    ) throws {
        try write(Gradebook.render(reports: results), to: outDirectory.appendingPathComponent("gradebook.csv"))
        try write(ItemAnalysis.render(results), to: outDirectory.appendingPathComponent("item-analysis.csv"))
        let combined = JUnitReport.renderCombined(reports, name: "belay \(route) class", reproducible: reproducible)
        try write(combined, to: outDirectory.appendingPathComponent("junit.xml"))
        try write(
            HTMLReport.renderClass(results, title: Self.classTitle(reports: reports, route: route)),
            to: outDirectory.appendingPathComponent("class.html"))
    }

    /// `<route title>: class report`, the title taken from the first report that has one (else the route id).
    static func classTitle(reports: [GradeReport], route: String) -> String {
        let title = reports.lazy.map(\.routeTitle).first { !$0.isEmpty } ?? route
        return title.isEmpty ? "Class report" : "\(title): class report"
    }

    // MARK: One student

    struct Graded: Sendable {
        var result: StudentResult
        /// The report all formats were rendered from (a stand-in for error and timeout results).
        var report: GradeReport
        var cached: Bool
        /// Reports still to write (`store`), with the cache entry to write after them.
        var pendingStore: (cache: CacheEntry?, studentOut: URL)?

        var progressNote: String {
            let note: String
            switch result.status {
            case .graded: note = result.message
            case .error: note = "error: " + result.message
            case .timeout: note = "timeout: " + result.message
            }
            return cached ? note + " (unchanged, cached)" : note
        }
    }

    private func baseProperties(submissionSHA: String?) -> [Property] {
        var properties: [Property] = []
        if let submissionSHA { properties.append(Property("belay.submission.sha256", submissionSHA)) }
        properties.append(Property("belay.rubric.sha256", rubricSHA))
        properties.append(Property("belay.data.sha256", dataSHA))
        properties.append(Property("belay.version", belayVersion))
        return properties
    }

    private func standIn(_ name: String, _ message: String, submissionSHA: String?) -> GradeReport {
        GradeReport.ungradable(
            submissionName: name, route: grader.routeID, routeTitle: grader.routeTitle, message: message,
            properties: baseProperties(submissionSHA: submissionSHA))
    }

    func gradeOne(_ submission: Submission, outDirectory: URL, force: Bool) async -> Graded {
        let studentOut = outDirectory.appendingPathComponent(submission.name, isDirectory: true)
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }

        // 1. Unpack (archives) and fingerprint.
        let root: URL
        let submissionSHA: String
        do {
            let temp = FileManager.default.temporaryDirectory
                .appendingPathComponent(Self.scratchPrefix + "\(getpid())-\(UUID().uuidString)", isDirectory: true)
            if submission.isArchive { scratch = temp }
            let input = try SubmissionInput.open(submission.url, scratch: temp, limits: zipLimits)
            root = input.root
            submissionSHA = input.sha256
        } catch {
            let message = String(describing: error)
            let result = StudentResult(name: submission.name, status: .error, report: nil, message: message)
            let report = standIn(submission.name, message, submissionSHA: nil)
            return Graded(result: result, report: report, cached: false, pendingStore: (nil, studentOut))
        }

        // 2. Unchanged since last time?
        let key = CacheEntry(
            submissionSHA: submissionSHA, rubricSHA: rubricSHA, dataSHA: dataSHA, belayVersion: belayVersion,
            reproducible: reproducible, status: .graded, message: "")
        if !force, let cached = cachedResult(matching: key, name: submission.name, studentOut: studentOut) {
            return Graded(result: cached.result, report: cached.report, cached: true)
        }

        // 3. Grade, racing the time limit.
        let grader = self.grader
        let name = submission.name
        let operation: @Sendable () async -> GradeReport = {
            await grader.grade(submissionAt: root, name: name, sha256: submissionSHA)
        }
        let graded: GradeReport?
        if let timeLimit {
            graded = await withDeadline(expiry: { await timeLimit(name) }, name: "belay-grade-\(name)", operation)
        } else {
            graded = await withDeadline(seconds: timeoutSeconds, name: "belay-grade-\(name)", operation)
        }
        let result: StudentResult
        let report: GradeReport
        var cache: CacheEntry? = key
        if var graded {
            // Record the batch's fingerprints unless the route already did.
            for property in baseProperties(submissionSHA: submissionSHA)
            where graded.property(property.name) == nil {
                graded.properties.append(property)
            }
            report = graded
            let message = "\(Points.format(graded.pointsEarned))/\(Points.format(graded.totalPointsPossible))"
            result = StudentResult(name: name, status: .graded, report: graded, message: message)
            cache?.message = message
        } else {
            let message = "grading did not finish within \(Points.format(timeoutSeconds)) s"
            report = standIn(name, message, submissionSHA: submissionSHA)
            result = StudentResult(name: name, status: .timeout, report: nil, message: message)
            cache = nil  // a timeout may be the machine's fault: always retry
        }
        return Graded(result: result, report: report, cached: false, pendingStore: (cache, studentOut))
    }

    private func cachedResult(matching key: CacheEntry, name: String, studentOut: URL) -> Graded? {
        guard let (entry, report) = Self.validCache(in: studentOut), entry.hasSameKey(as: key) else { return nil }
        let result = StudentResult(
            name: name, status: entry.status, report: entry.status == .graded ? report : nil, message: entry.message)
        return Graded(result: result, report: report, cached: true)
    }

    /// The cache entry in `studentOut` and the report it vouches for, or `nil` unless the entry is a whole JSON
    /// document of the current format and every report file holds exactly the bytes the entry's hashes say.
    /// A report that is missing, truncated, from an interrupted rewrite or edited by hand is thus never taken as
    /// done: the student is regraded.
    static func validCache(in studentOut: URL) -> (entry: CacheEntry, report: GradeReport)? {
        guard let data = try? Data(contentsOf: studentOut.appendingPathComponent(cacheFile)),
            let entry = try? JSONDecoder().decode(CacheEntry.self, from: data),
            entry.format == CacheEntry.currentFormat, Set(entry.files.keys) == Set(reportFiles)
        else { return nil }
        var reportJSON: Data?
        for file in reportFiles {
            guard let bytes = try? Data(contentsOf: studentOut.appendingPathComponent(file)),
                SHA256.hex(bytes) == entry.files[file]
            else { return nil }
            if file == "report.json" { reportJSON = bytes }
        }
        guard let reportJSON, let report = try? JSONReport.decode(reportJSON) else { return nil }
        return (entry, report)
    }

    /// A student's last result from disk (for `only` runs).
    private func loadCached(_ name: String, outDirectory: URL) -> (result: StudentResult, report: GradeReport) {
        let studentOut = outDirectory.appendingPathComponent(name, isDirectory: true)
        if let (entry, report) = Self.validCache(in: studentOut) {
            return (
                StudentResult(
                    name: name, status: entry.status, report: entry.status == .graded ? report : nil,
                    message: entry.message), report
            )
        }
        let message = "not graded yet (run without --only to grade everyone)"
        return (StudentResult(name: name, status: .error, report: nil, message: message),
                standIn(name, message, submissionSHA: nil))
    }

    /// Writes a student's five reports and cache entry. A failure to write is added to the result's message
    /// (so it reaches the progress line and the gradebook) rather than stopping the batch.
    ///
    /// Order matters for a run killed half-way: the old cache entry goes first, then each report is replaced
    /// atomically, and the new entry, holding the reports' hashes, is written last. Until it exists the student
    /// counts as not graded.
    func store(_ result: inout StudentResult, report: GradeReport, cache: CacheEntry?, in studentOut: URL) {
        do {
            try FileManager.default.createDirectory(at: studentOut, withIntermediateDirectories: true)
            let cacheURL = studentOut.appendingPathComponent(Self.cacheFile)
            if unlink(cacheURL.path) != 0, errno != ENOENT {
                throw BatchError(path: cacheURL.path, message: "cannot remove the old cache entry (\(String(cString: strerror(errno))))")
            }
            let options = ReportFormatOptions(reproducible: reproducible, student: report.submissionName)
            let rendered = Dictionary(
                ReportFormat.all.map { ($0.fileName, Data($0.render(report, options).utf8)) }, uniquingKeysWith: { a, _ in a })
            for file in Self.reportFiles {
                try write(rendered[file]!, to: studentOut.appendingPathComponent(file))
            }
            if var cache {
                cache.status = result.status
                cache.message = result.message
                cache.files = rendered.mapValues { SHA256.hex($0) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                try write(try encoder.encode(cache), to: cacheURL)
            }
        } catch {
            result.message += " (reports not written: \(error))"
        }
    }

    private func write(_ text: String, to url: URL) throws {
        try Self.write(Data(text.utf8), to: url)
    }

    private func write(_ data: Data, to url: URL) throws {
        try Self.write(data, to: url)
    }

    static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    static func write(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw BatchError(path: url.path, message: "cannot write (\(error))")
        }
    }

    // MARK: Scratch folders

    /// Archives are unpacked into `$TMPDIR/belay-batch-<pid>-<uuid>`, removed when the student is done.
    static let scratchPrefix = "belay-batch-"

    /// Removes the scratch folders of batches that were killed (their process is gone).
    static func removeStaleScratch() {
        let temp = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temp.path) else { return }
        for name in names where name.hasPrefix(scratchPrefix) {
            let rest = name.dropFirst(scratchPrefix.count)
            // Only names this version writes (`<pid>-<uuid>`), and only when that process is gone.
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(at: temp.appendingPathComponent(name))
        }
    }
}

/// The students finished so far (written, or taken from the cache), from any thread.
final class Finished: Sendable {
    private let graded = Mutex<[ClassGrader.Graded]>([])

    /// Records `student` and returns how many are finished.
    func add(_ student: ClassGrader.Graded) -> Int {
        graded.withLock { all in
            all.append(student)
            return all.count
        }
    }

    var all: [ClassGrader.Graded] { graded.withLock { $0 } }
}

/// Runs report writes beside grading on `width` serial lanes, taken in turn, and waits for all of them at the end of
/// the batch. Each student's files are their own, so writes of different students never touch the same path; no
/// thread waits for a free lane (a write is queued on its lane).
final class ReportWriter: Sendable {
    private let lanes: [DispatchQueue]
    private let group = DispatchGroup()
    private let turn = Mutex(0)

    init(width: Int) { lanes = (0..<max(1, width)).map { DispatchQueue(label: "belay-report-writer-\($0)") } }

    func submit(_ work: @escaping @Sendable () -> Void) {
        let lane = turn.withLock { turn in
            defer { turn += 1 }
            return lanes[turn % lanes.count]
        }
        lane.async(group: group, execute: work)
    }

    /// Returns when every submitted write is done.
    func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }
}
