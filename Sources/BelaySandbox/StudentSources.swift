import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Something in a student's package that Belay refuses or cannot use: where, what, and how to fix it.
public struct PackageProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path inside the package, e.g. `Sources` or `Sources/LeakyPipeline/Helpers.swift`.
    public var location: String
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var fix: String

    public init(location: String, message: String, fix: String) {
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(location) \(message). \(fix)" }
}

/// The target of a student package that holds the type conforming to its route's exercise protocol.
///
/// **Only files inside the package are ever read.** Every folder and `.swift` file on the way (`Sources`, each
/// target folder, every sub-folder, every file, and `Reflection.md`) is resolved with `realpath`; a symbolic link
/// whose target lies outside the package refuses the whole package with a ``PackageProblem`` (a `Sources` link to
/// `../victim/Sources` would otherwise grade another student's code under this name). Links that stay inside the
/// package are accepted, the way `swift build` accepts them: a false fail costs an honest student more than a
/// link costs Belay, and the build only ever sees copies of the resolved files (see ``copy(into:)``), each read
/// from its link-free real path with `O_NOFOLLOW`. A file reached twice (through a link) is compiled once; a
/// folder reached twice is walked once.
struct StudentSources: Sendable {
    /// One `.swift` file of the target.
    struct File: Sendable, Hashable {
        /// Its path relative to the target folder, as the student named it (through any inner link).
        var relative: String
        /// Its link-free real path, inside the package.
        var real: String
    }

    /// The target folder as named in the package, e.g. `Sources/LeakyPipeline` (relative to the package).
    var target: String
    /// Its `.swift` files, sorted by relative path.
    var files: [File]
    /// The conforming type.
    var typeName: String
    /// The module name the target would have under SwiftPM (its folder name, made an identifier).
    var moduleName: String
    /// `Reflection.md` at the package root, if present.
    var reflection: Data?
    /// The other folders under `Sources/` (not compiled), sorted.
    var otherTargets: [String]

    /// Caps on what is read: a submission is small source text.
    static let maxFiles = 200
    static let maxBytes = 4 << 20
    static let maxReflectionBytes = 1 << 20
    /// Caps on the walk: folders deeper than this, or more entries than this, refuse the package.
    static let maxDepth = 32
    static let maxEntries = 20_000

    /// Finds the target under `<package>/Sources/*` with exactly one type conforming to `track`'s exercise protocol,
    /// refusing a package that reaches outside itself.
    static func locate(in package: URL, track: SwiftTrack) -> Result<StudentSources, PackageProblem> {
        let exercises = track.protocolName
        var walk: Walk
        switch Walk.start(package: package) {
        case .success(let w): walk = w
        case .failure(let problem): return .failure(problem)
        }
        let sources: String
        switch walk.resolve(relative: "Sources") {
        case .missing, .ignored:
            return .failure(
                PackageProblem(
                    location: "Sources/", message: "is missing",
                    fix: "Put your module's code in Sources/<Module>/ as `swift package init` lays it out."))
        case .refused: return .failure(walk.problem() ?? refused("Sources"))
        case .file:
            return .failure(
                PackageProblem(
                    location: "Sources", message: "is a file, not a folder",
                    fix: "Put your module's code in Sources/<Module>/ as `swift package init` lays it out."))
        case .directory(let real): sources = real
        }
        var targets: [(name: String, files: [File])] = []
        for name in walk.entries(of: sources) {
            switch walk.resolve(relative: "Sources/\(name)", real: sources + "/" + name, reads: false) {
            case .directory(let real): targets.append((name, walk.swiftFiles(under: real, relative: "Sources/\(name)")))
            case .missing, .file, .ignored, .refused: continue
            }
        }
        var reflection: Data?
        if case .file(let real) = walk.resolve(relative: "Reflection.md") {
            reflection = readRegularFile(real, limit: maxReflectionBytes)
        }
        if let problem = walk.problem() { return .failure(problem) }  // every bad link at once
        guard !targets.isEmpty else {
            return .failure(
                PackageProblem(
                    location: "Sources/", message: "holds no target folder",
                    fix: "Put your module's code in Sources/<Module>/ as `swift package init` lays it out."))
        }
        var found: [(target: String, type: String, files: [File])] = []
        var scanned = 0
        for (target, files) in targets {
            scanned += files.count
            for file in files {
                guard let text = readRegularFile(file.real, limit: maxBytes) else { continue }
                for type in conformingTypes(in: String(decoding: text, as: UTF8.self), to: exercises) {
                    found.append((target, type, files))
                }
            }
        }
        let declare = "Declare exactly one, e.g. `public struct Solution: \(exercises) { ... }`."
        guard let first = found.first else {
            return .failure(
                PackageProblem(
                    location: "Sources/*/",
                    message: "has no type conforming to \(exercises) (\(scanned) Swift files read)",
                    fix: declare))
        }
        guard found.count == 1 else {
            let list = found.map { "\($0.type) (Sources/\($0.target))" }.joined(separator: ", ")
            return .failure(
                PackageProblem(
                    location: "Sources/*/", message: "has several types conforming to \(exercises): \(list)",
                    fix: "Keep one."))
        }
        guard first.files.count <= maxFiles else {
            return .failure(
                PackageProblem(
                    location: "Sources/\(first.target)", message: "has more than \(maxFiles) Swift files",
                    fix: "Hand in your module's own sources only (at most \(maxFiles) files)."))
        }
        var moduleName = String(first.target.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if moduleName.first?.isNumber ?? true { moduleName = "_" + moduleName }
        if track.moduleNames.contains(moduleName) { moduleName = "Student" + moduleName }
        return .success(
            StudentSources(
                target: "Sources/\(first.target)", files: first.files, typeName: first.type, moduleName: moduleName,
                reflection: reflection, otherTargets: targets.map(\.name).filter { $0 != first.target }))
    }

    /// The refusal of a link leaving the package (when the walk did not word it).
    private static func refused(_ location: String) -> PackageProblem {
        PackageProblem(
            location: location, message: "leads outside your package",
            fix: "Replace the link with the real folder or file.")
    }

    /// Copies the sources (each read from its real path inside the package, never following a link) into
    /// `destination/<target>/`, returning their paths relative to `destination`.
    func copy(into destination: URL) throws -> [String] {
        var relative: [String] = []
        var total = 0
        for file in files {
            guard let data = Self.readRegularFile(file.real, limit: Self.maxBytes) else { continue }
            total += data.count
            guard total <= Self.maxBytes else { break }
            let path = "\(target)/\(file.relative)"
            try Workspace.write(data, to: destination.appendingPathComponent(path))
            relative.append(path)
        }
        return relative
    }

    /// Type names declared as conforming to `exercises` (`struct/class/enum/actor X: ...` or `extension X: ...`,
    /// the protocol's name alone or qualified by a module), ignoring `//` comments.
    static func conformingTypes(in text: String, to exercises: String) -> [String] {
        let code = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.firstRange(of: "//").map { line[..<$0.lowerBound] } ?? line
        }.joined(separator: "\n")
        let declaration = /(?:struct|class|enum|actor|extension)\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{]*)\{/
        var names: [String] = []
        for match in code.matches(of: declaration) {
            let conformances = match.output.2.split(separator: ",").map {
                $0.split(separator: "where").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            }
            if conformances.contains(where: { $0 == exercises || $0.hasSuffix("." + exercises) }) {
                names.append(String(match.output.1))
            }
        }
        return names
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

/// One walk of a package: every entry resolved to a real path and kept only when inside the package.
///
/// Callers go down from the package's real path, so each path handed to ``resolve(relative:real:reads:)`` has a
/// link-free parent inside the package; only its last component can be a link, and that link is resolved with
/// `realpath` and checked against the package. What is refused is collected, so the student hears of every bad
/// link at once (see ``problem()``).
struct Walk {
    /// What an entry is, once resolved.
    enum Entry {
        /// No such entry.
        case missing
        /// A FIFO, device, socket, broken link, or a link outside the package to something Belay never reads.
        case ignored
        /// A link outside the package to something Belay would read: recorded, see ``Walk/problem()``.
        case refused
        /// A regular file, at this link-free real path inside the package.
        case file(String)
        /// A folder, at this link-free real path inside the package.
        case directory(String)
    }

    /// The package's real path.
    let package: String
    /// Links leaving the package: where, and their text.
    private(set) var outside: [(location: String, link: String)] = []
    private var visited: Set<String> = []
    private var entryCount = 0
    private var tooDeep: String?

    /// A walk of `package`, or why it cannot be read.
    static func start(package url: URL) -> Result<Walk, PackageProblem> {
        guard let real = realPath(url.path), isDirectory(real) else {
            return .failure(
                PackageProblem(
                    location: "the package", message: "is not a readable folder",
                    fix: "Hand in the folder that holds Package.swift and Sources/."))
        }
        return .success(Walk(package: real))
    }

    /// Resolves `relative` (a path inside the package, for messages) at `real` (its parent's real path + its
    /// name; the package's real path + `relative` by default). `reads` says whether Belay would read it as a
    /// file: a link outside the package is refused when it leads to a folder or to a file Belay reads.
    mutating func resolve(relative: String, real path: String? = nil, reads: Bool = true) -> Entry {
        let path = path ?? package + "/" + relative
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory(path)
        case S_IFREG: return .file(path)
        case S_IFLNK: break
        default: return .ignored
        }
        guard let real = Self.realPath(path) else { return .ignored }  // broken: nothing to read
        let isFolder = Self.isDirectory(real)
        guard real == package || real.hasPrefix(package + "/") else {
            if isFolder || reads { outside.append((relative, Self.linkText(path))) }
            return isFolder || reads ? .refused : .ignored
        }
        if isFolder { return .directory(real) }
        var target = stat()
        return lstat(real, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG ? .file(real) : .ignored
    }

    /// The visible (not hidden) names in the folder at real path `directory`, sorted.
    mutating func entries(of directory: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }
        entryCount += names.count
        return names.sorted()
    }

    /// The `.swift` files under the folder at real path `directory` (`relative` in the package), relative to it and
    /// sorted; a folder already walked (reached again through a link) is not walked twice, nor is a file listed
    /// twice. Stops after ``StudentSources/maxFiles`` + 1 files.
    mutating func swiftFiles(under directory: String, relative: String) -> [StudentSources.File] {
        var files: [StudentSources.File] = []
        var seen: Set<String> = []
        walk(directory, relative: "", base: relative, depth: 0, into: &files, seen: &seen)
        return files.sorted { $0.relative < $1.relative }
    }

    private mutating func walk(
        _ directory: String, relative: String, base: String, depth: Int, into files: inout [StudentSources.File],
        seen: inout Set<String>
    ) {
        guard visited.insert(directory).inserted else { return }
        guard depth <= StudentSources.maxDepth else {
            if tooDeep == nil { tooDeep = base + "/" + relative }
            return
        }
        // Resolve every entry first, then take real entries before links, so that a file or folder reached both
        // directly and through a link keeps its own name.
        var resolved: [(name: String, entry: Entry, isLink: Bool)] = []
        for name in entries(of: directory) {
            guard entryCount <= StudentSources.maxEntries else { return }
            let path = directory + "/" + name
            let inner = relative.isEmpty ? name : relative + "/" + name
            let entry = resolve(relative: base + "/" + inner, real: path, reads: name.hasSuffix(".swift"))
            switch entry {
            case .directory(let real), .file(let real): resolved.append((name, entry, real != path))
            default: continue
            }
        }
        for (name, entry, _) in resolved.filter({ !$0.isLink }) + resolved.filter(\.isLink) {
            guard files.count <= StudentSources.maxFiles else { return }
            let inner = relative.isEmpty ? name : relative + "/" + name
            switch entry {
            case .directory(let real):
                walk(real, relative: inner, base: base, depth: depth + 1, into: &files, seen: &seen)
            case .file(let real) where name.hasSuffix(".swift"):
                if seen.insert(real).inserted { files.append(StudentSources.File(relative: inner, real: real)) }
            default: continue
            }
        }
    }

    /// The refusal, when the walk met a link leaving the package, a folder too deep, or too many entries.
    func problem() -> PackageProblem? {
        if let first = outside.first {
            let shown = outside.prefix(5).map { "`\($0.location)` → `\($0.link)`" }.joined(separator: ", ")
            let more = outside.count > 5 ? " and \(outside.count - 5) more" : ""
            return PackageProblem(
                location: outside.count == 1 ? first.location : "\(first.location) and \(outside.count - 1) more",
                message: (outside.count == 1 ? "is a symbolic link leading outside your package (" : "are symbolic links leading outside your package (")
                    + shown + more + "), so Belay refuses to grade the package: it grades only code inside the folder you hand in",
                fix: "Replace each such link with a real folder or file holding your own code (links that stay inside the package are fine).")
        }
        if let tooDeep {
            return PackageProblem(
                location: tooDeep, message: "is nested more than \(StudentSources.maxDepth) folders deep",
                fix: "Keep your module's sources in a shallow folder tree.")
        }
        if entryCount > StudentSources.maxEntries {
            return PackageProblem(
                location: "Sources/", message: "holds more than \(StudentSources.maxEntries) files and folders",
                fix: "Hand in your module's own sources only.")
        }
        return nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The link's own text (what the student wrote), shortened.
    static func linkText(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return "?" }
        let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
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
