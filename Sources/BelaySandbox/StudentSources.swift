import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The target of a student package that holds the type conforming to `LeakyPipelineExercises`.
struct StudentSources: Sendable {
    /// The target folder, e.g. `<package>/Sources/LeakyPipeline`.
    var directory: URL
    /// Its `.swift` files, relative to `directory`, sorted.
    var files: [String]
    /// The conforming type.
    var typeName: String
    /// The module name the target would have under SwiftPM (its folder name, made an identifier).
    var moduleName: String
    /// `Reflection.md` at the package root, if present.
    var reflection: Data?

    /// Caps on what is copied: a submission is small source text.
    static let maxFiles = 200
    static let maxBytes = 4 << 20
    static let maxReflectionBytes = 1 << 20

    /// A student's packaging mistake.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Finds the target under `<package>/Sources/*` with exactly one type conforming to the protocol.
    static func locate(in package: URL) -> Result<StudentSources, Problem> {
        let fm = FileManager.default
        let sourcesRoot = package.appendingPathComponent("Sources")
        guard let targets = try? fm.contentsOfDirectory(atPath: sourcesRoot.path).sorted(), !targets.isEmpty else {
            return .failure(Problem(description: "No Sources/ folder with a target in your package."))
        }
        var found: [(target: String, type: String, files: [String])] = []
        var scanned = 0
        for target in targets where !target.hasPrefix(".") {
            let directory = sourcesRoot.appendingPathComponent(target)
            guard isRealDirectory(directory.path) else { continue }
            let files = swiftFiles(under: directory)
            scanned += files.count
            for file in files {
                guard let text = readRegularFile(directory.appendingPathComponent(file).path, limit: maxBytes) else {
                    continue
                }
                for type in conformingTypes(in: String(decoding: text, as: UTF8.self)) {
                    found.append((target, type, files))
                }
            }
        }
        guard let first = found.first else {
            return .failure(
                Problem(
                    description: "No type conforming to LeakyPipelineExercises found in Sources/*/ "
                        + "(\(scanned) Swift files read). Declare one, e.g. "
                        + "`public struct Solution: LeakyPipelineExercises { ... }`."))
        }
        guard found.count == 1 else {
            let list = found.map { "\($0.type) (Sources/\($0.target))" }.joined(separator: ", ")
            return .failure(Problem(description: "Several types conform to LeakyPipelineExercises: \(list). Keep one."))
        }
        guard first.files.count <= maxFiles else {
            return .failure(Problem(description: "Sources/\(first.target) has \(first.files.count) Swift files; the limit is \(maxFiles)."))
        }
        var moduleName = String(first.target.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if moduleName.first?.isNumber ?? true { moduleName = "_" + moduleName }
        if moduleName == "ExerciseKit" { moduleName = "StudentExerciseKit" }
        return .success(
            StudentSources(
                directory: sourcesRoot.appendingPathComponent(first.target), files: first.files, typeName: first.type,
                moduleName: moduleName,
                reflection: readRegularFile(package.appendingPathComponent("Reflection.md").path, limit: maxReflectionBytes)))
    }

    /// Copies the sources (regular files only, never following links) into `destination/Sources/<target>/`,
    /// returning their paths relative to `destination`.
    func copy(into destination: URL) throws -> [String] {
        var relative: [String] = []
        var total = 0
        let targetName = directory.lastPathComponent
        for file in files {
            guard let data = Self.readRegularFile(directory.appendingPathComponent(file).path, limit: Self.maxBytes) else {
                continue
            }
            total += data.count
            guard total <= Self.maxBytes else { break }
            let path = "Sources/\(targetName)/\(file)"
            try Workspace.write(data, to: destination.appendingPathComponent(path))
            relative.append(path)
        }
        return relative
    }

    /// Type names declared as conforming to `LeakyPipelineExercises` (`struct/class/enum/actor X: ...` or
    /// `extension X: ...`), ignoring `//` comments.
    static func conformingTypes(in text: String) -> [String] {
        let code = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.firstRange(of: "//").map { line[..<$0.lowerBound] } ?? line
        }.joined(separator: "\n")
        let declaration = /(?:struct|class|enum|actor|extension)\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{]*)\{/
        var names: [String] = []
        for match in code.matches(of: declaration) {
            let conformances = match.output.2.split(separator: ",").map {
                $0.split(separator: "where").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            }
            if conformances.contains(where: { $0 == "LeakyPipelineExercises" || $0 == "ExerciseKit.LeakyPipelineExercises" }) {
                names.append(String(match.output.1))
            }
        }
        return names
    }

    /// `.swift` files under `directory`, relative, sorted; hidden entries and links skipped.
    private static func swiftFiles(under directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        for case let relative as String in walker {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if relative.hasSuffix(".swift"), isRegularFile(directory.appendingPathComponent(relative).path) {
                files.append(relative)
            }
            if files.count > maxFiles { break }
        }
        return files.sorted()
    }

    private static func isRealDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The contents of a regular file (not a link, device or FIFO) of at most `limit` bytes.
    static func readRegularFile(_ path: String, limit: Int) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= limit else { return nil }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: false).readData(ofLength: limit)
    }
}

/// File-system helpers of the grader's own folders.
enum Workspace {
    /// Creates `url` (and parents) and sets its mode.
    static func makeDirectory(_ url: URL, mode: mode_t) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SwiftBuildError.fileSystem(path: url.path, message: "\(error)")
        }
        chmod(url.path, mode)
    }

    /// Writes `data`, creating parent folders.
    static func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        } catch {
            throw SwiftBuildError.fileSystem(path: url.path, message: "\(error)")
        }
    }
}
