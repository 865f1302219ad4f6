public import BelayGrading
import BelayReports
public import Foundation

/// Joins the output folders of `belay grade --shard K/N` runs into what one `belay grade` of the whole class
/// would have written (`belay gradebook merge`).
///
/// Each student's folder is copied into the output (every file, the cache entry last, each through
/// ``AtomicFile``), so the merged folder is a complete `belay grade --out` folder: a later `belay grade` into it
/// regrades nobody whose submission is unchanged. The class files, `gradebook.csv`, `item-analysis.csv`, the
/// combined `junit.xml` and `class.html`, are written by the same code as `belay grade` writes them with, from the
/// students' `report.json` files and the statuses in the shard manifests; with `reproducible` they are
/// byte-identical to a single `belay grade --reproducible` run.
///
/// A merge is refused, before anything is written, when the shards do not add up to one class graded one way:
/// a student in two folders, a shard given twice or missing, shards of different splits or class folders, or
/// reports graded with a different rubric, dataset, route or Belay version.
public enum GradebookMerge {
    /// What a merge did.
    public struct Summary: Sendable {
        /// Every student, sorted by name.
        public var results: [StudentResult]
        /// The shards merged (`1/4`, …), empty for folders without a manifest.
        public var shards: [Shard]
    }

    /// One student found in an input folder.
    struct Found {
        var result: StudentResult
        var report: GradeReport
        var folder: URL
        var source: URL
    }

    /// Merges `directories` into `outDirectory`.
    /// - Throws: ``BatchError`` saying why the folders cannot be merged, or which file could not be written.
    /// - Complexity: O(total size of the students' files).
    public static func merge(_ directories: [URL], into outDirectory: URL, reproducible: Bool) throws -> Summary {
        guard !directories.isEmpty else { throw BatchError(path: outDirectory.path, message: "no folders to merge") }
        let inputs = directories.map(\.standardizedFileURL)
        let out = outDirectory.standardizedFileURL
        var seen: [String: URL] = [:]
        for input in inputs {
            let key = input.resolvingSymlinksInPath().path
            if seen[key] != nil { throw BatchError(path: input.path, message: "given twice") }
            seen[key] = input
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input.path, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw BatchError(path: input.path, message: "no such folder") }
        }
        if seen[out.resolvingSymlinksInPath().path] != nil {
            throw BatchError(path: out.path, message: "the output folder is one of the folders to merge; choose a new one")
        }

        let manifests = try inputs.map { try ShardManifest.load(from: $0) }
        let shards = try checkShards(inputs, manifests)
        var found: [Found] = []
        for (input, manifest) in zip(inputs, manifests) {
            found += try students(in: input, manifest: manifest)
        }
        try checkStudents(found, manifests: manifests)
        found.sort { $0.result.name.utf8.lexicographicallyPrecedes($1.result.name.utf8) }

        try ClassGrader.prepareOutput(out)
        for student in found {
            try copyFolder(student.folder, to: out.appendingPathComponent(student.result.name, isDirectory: true))
        }
        try ClassGrader.writeClassReports(
            found.map(\.result), reports: found.map(\.report), route: found.first?.report.route ?? "",
            reproducible: reproducible, to: out)
        return Summary(results: found.map(\.result), shards: shards)
    }

    // MARK: Checks

    /// The shards the manifests describe, after checking that they are all of one split of one class and that
    /// none is missing or given twice.
    static func checkShards(_ inputs: [URL], _ manifests: [ShardManifest?]) throws -> [Shard] {
        let withManifest = zip(inputs, manifests).compactMap { input, manifest in manifest.map { (input, $0) } }
        guard !withManifest.isEmpty else { return [] }
        if let bare = zip(inputs, manifests).first(where: { $0.1 == nil })?.0 {
            throw BatchError(
                path: bare.path,
                message: "has no \(ShardManifest.fileName), so it was not graded with --shard; merge either the "
                    + "outputs of `belay grade --shard K/N` runs or only whole-class outputs")
        }
        let (firstInput, first) = withManifest[0]
        func differ(_ what: String, _ input: URL, _ mine: String, _ theirs: String, fix: String) -> BatchError {
            BatchError(
                path: input.path,
                message: "\(what) differs from \(firstInput.path)'s (\(mine) here, \(theirs) there); \(fix)")
        }
        var byIndex: [Int: URL] = [:]
        var shards: [Shard] = []
        for (input, manifest) in withManifest {
            guard manifest.of == first.of else {
                throw differ(
                    "the split", input, "shard \(manifest.shard)/\(manifest.of)", "shard \(first.shard)/\(first.of)",
                    fix: "every shard must be graded with the same N")
            }
            guard let shard = try? Shard(index: manifest.shard, count: manifest.of) else {
                throw BatchError(path: input.path, message: "names an impossible shard \(manifest.shard)/\(manifest.of)")
            }
            if let other = byIndex[shard.index] {
                throw BatchError(path: input.path, message: "shard \(shard) is given twice (also \(other.path))")
            }
            byIndex[shard.index] = input
            shards.append(shard)
            guard manifest.classSHA256 == first.classSHA256 else {
                throw differ(
                    "the class", input, "\(manifest.classSize) submissions", "\(first.classSize) submissions"
                        + (manifest.classSize == first.classSize ? ", other names" : ""),
                    fix: "grade every shard from the same class folder")
            }
            guard manifest.rubricSHA256 == first.rubricSHA256 else {
                throw differ(
                    "the rubric (belay.rubric.sha256)", input, String(manifest.rubricSHA256.prefix(12)),
                    String(first.rubricSHA256.prefix(12)), fix: "grade every shard with the same rubric and data")
            }
            guard manifest.dataSHA256 == first.dataSHA256 else {
                throw differ(
                    "the data (belay.data.sha256)", input, String(manifest.dataSHA256.prefix(12)),
                    String(first.dataSHA256.prefix(12)), fix: "grade every shard with the same rubric and data")
            }
            guard manifest.belayVersion == first.belayVersion else {
                throw differ(
                    "the Belay version", input, manifest.belayVersion, first.belayVersion,
                    fix: "grade every shard with the same Belay")
            }
            guard manifest.route == first.route else {
                throw differ("the route", input, manifest.route, first.route, fix: "merge shards of one route")
            }
        }
        let missing = (1...first.of).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let names = missing.map { "\($0)/\(first.of)" }
            throw BatchError(
                path: firstInput.deletingLastPathComponent().path,
                message: "shard\(missing.count == 1 ? "" : "s") \(names.joined(separator: ", ")) missing "
                    + "(given: \(shards.sorted { $0.index < $1.index }.map(\.description).joined(separator: ", "))); "
                    + "grade \(missing.count == 1 ? "it" : "them") with `belay grade CLASS --shard \(names[0]) --out DIR` "
                    + "and merge again")
        }
        return shards.sorted { $0.index < $1.index }
    }

    /// Checks that no student is in two folders, that the shards add up to the class, and that every report was
    /// graded with the same route, rubric, data and Belay version.
    static func checkStudents(_ found: [Found], manifests: [ShardManifest?]) throws {
        var byName: [String: URL] = [:]
        for student in found {
            if let other = byName[student.result.name] {
                throw BatchError(
                    path: student.source.path,
                    message: "student '\(student.result.name)' is also in \(other.path); each student must be in "
                        + "exactly one of the folders merged")
            }
            byName[student.result.name] = student.source
        }
        if let manifest = manifests.compactMap({ $0 }).first, manifest.classSize != found.count {
            throw BatchError(
                path: found.first?.source.deletingLastPathComponent().path ?? "",
                message: "the shards hold \(found.count) students but the class has \(manifest.classSize)")
        }
        guard let first = found.first else { return }
        let keys = ["belay.rubric.sha256", "belay.data.sha256", "belay.version"]
        for student in found {
            if student.report.route != first.report.route {
                throw mismatch(student, first, what: "route", student.report.route, first.report.route)
            }
            for key in keys where student.report.property(key) != first.report.property(key) {
                throw mismatch(
                    student, first, what: key, student.report.property(key) ?? "none", first.report.property(key) ?? "none")
            }
        }
    }

    private static func mismatch(_ student: Found, _ first: Found, what: String, _ mine: String, _ theirs: String)
        -> BatchError
    {
        BatchError(
            path: student.folder.appendingPathComponent("report.json").path,
            message: "graded with a different \(what) (\(mine.prefix(16)), but \(first.result.name) in "
                + "\(first.source.path) has \(theirs.prefix(16))); grade every shard with the same rubric, data and "
                + "Belay version")
    }

    // MARK: Reading a folder

    /// The students of one input folder: those of its manifest, or, without one, every sub-folder holding a
    /// `report.json`.
    static func students(in input: URL, manifest: ShardManifest?) throws -> [Found] {
        if let manifest {
            return try manifest.students.map { entry in
                let shard = Shard.number(of: entry.name, count: manifest.of)
                guard shard == manifest.shard else {
                    throw BatchError(
                        path: input.appendingPathComponent(ShardManifest.fileName).path,
                        message: "lists '\(entry.name)', who belongs to shard \(shard)/\(manifest.of), not "
                            + "\(manifest.shard)/\(manifest.of)")
                }
                let folder = input.appendingPathComponent(entry.name, isDirectory: true)
                let report = try readReport(in: folder)
                let result = StudentResult(
                    name: entry.name, status: entry.status, report: entry.status == .graded ? report : nil,
                    message: entry.message)
                return Found(result: result, report: report, folder: folder, source: input)
            }
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: input.path)
        } catch {
            throw BatchError(path: input.path, message: "cannot read the folder (\(error.localizedDescription))")
        }
        return try names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            let folder = input.appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.json").path) else {
                return nil
            }
            let report = try readReport(in: folder)
            return Found(result: inferredResult(name, report: report, folder: folder), report: report, folder: folder, source: input)
        }
    }

    private static func readReport(in folder: URL) throws -> GradeReport {
        let url = folder.appendingPathComponent("report.json")
        do {
            return try JSONReport.decode(Data(contentsOf: url))
        } catch {
            throw BatchError(path: url.path, message: "cannot read the student's report (\(error)); grade that shard again")
        }
    }

    /// A student's gradebook row for a folder without a manifest: the cache entry's status and message when it
    /// vouches for the reports, else what the report says (a stand-in report is an error or a timeout).
    static func inferredResult(_ name: String, report: GradeReport, folder: URL) -> StudentResult {
        if let (entry, _) = ClassGrader.validCache(in: folder) {
            return StudentResult(
                name: name, status: entry.status, report: entry.status == .graded ? report : nil, message: entry.message)
        }
        if report.results.count == 1, let only = report.results.first, only.id == "submission",
            only.exercise == "submission", only.outcome == .error
        {
            let status: StudentResult.Status = only.message.hasPrefix("grading did not finish") ? .timeout : .error
            return StudentResult(name: name, status: status, report: nil, message: only.message)
        }
        let message = "\(Points.format(report.pointsEarned))/\(Points.format(report.totalPointsPossible))"
        return StudentResult(name: name, status: .graded, report: report, message: message)
    }

    // MARK: Copying

    /// Copies every finished file of `source` into `target` (created if needed); the cache entry is removed first
    /// and written last, as `belay grade` does, so an interrupted merge never leaves a cache entry vouching for
    /// files it did not copy.
    static func copyFolder(_ source: URL, to target: URL) throws {
        let fileManager = FileManager.default
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: source.path)
            try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        } catch {
            throw BatchError(path: source.path, message: "cannot copy the student's folder (\(error.localizedDescription))")
        }
        AtomicFile.removeLeftovers(in: target)
        let cache = ClassGrader.cacheFile
        if unlink(target.appendingPathComponent(cache).path) != 0, errno != ENOENT {
            throw BatchError(path: target.appendingPathComponent(cache).path, message: "cannot remove the old cache entry")
        }
        let files = names.filter { name in
            !AtomicFile.isTemporary(name) && name != cache
                && (try? source.appendingPathComponent(name).resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile
                    == true
        }.sorted()
        for name in files + (names.contains(cache) ? [cache] : []) {
            let data: Data
            do {
                data = try Data(contentsOf: source.appendingPathComponent(name))
            } catch {
                throw BatchError(path: source.appendingPathComponent(name).path, message: "cannot read (\(error.localizedDescription))")
            }
            try ClassGrader.write(data, to: target.appendingPathComponent(name))
        }
    }
}
