import ExerciseKit
public import Foundation

/// One Swift module Belay compiles for student packages: ExerciseKit itself, or a route's own kit (its exercise
/// protocol and catalogue), from sources embedded in the grader.
public struct SwiftKitModule: Sendable, Hashable {
    /// One source file.
    public struct SourceFile: Sendable, Hashable {
        /// The file name, e.g. `GoodModelsExercises.swift`.
        public var name: String
        /// The Swift text.
        public var text: String

        /// Creates a file.
        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// The module name students import, e.g. `GoodModelsKit`.
    public var name: String
    /// Its sources.
    public var files: [SourceFile]

    /// A module named `name` made of `files` (name, contents).
    public init(name: String, files: [(name: String, text: String)]) {
        self.name = name
        self.files = files.map { SourceFile(name: $0.name, text: $0.text) }
    }

    /// ExerciseKit: the route-neutral core (harness, wire format, seeded generator) and Route 019's catalogue.
    public static var exerciseKit: SwiftKitModule { SwiftKitModule(name: "ExerciseKit", files: ExerciseKitSources.files) }

    /// FNV-1a of the name and the sources: part of the compiled library's cache key.
    var fingerprint: UInt64 {
        var hash = FNV1a()
        hash.add(name)
        for file in files {
            hash.add(file.name)
            hash.add(file.text)
        }
        return hash.value
    }

    /// The Swift text of a generated file embedding `files` as `enum <typeName> { static let files = [...] }`,
    /// headed by `header` (a comment saying where it comes from and how to regenerate it).
    ///
    /// Routes keep their kit's embedded copy in such a file and compare it with this rendering in a test (see
    /// `ExerciseKitSources.swift` and its test `embeddedExerciseKitMatchesItsSources`).
    package static func renderEmbedding(typeName: String, header: String, files: [(name: String, text: String)])
        -> String
    {
        var out = header + "\n\n"
        out += """
            /// The sources of the module, embedded so that `belay` can compile it for student modules wherever it
            /// runs (no source checkout needed).
            enum \(typeName) {
                /// File names and contents, sorted by name.
                static let files: [(name: String, text: String)] = [

            """
        for file in files {
            out += "        (\n            \"\(file.name)\",\n            #####\"\"\"\n\(file.text)\n\"\"\"#####\n        ),\n"
        }
        out += "    ]\n}\n"
        return out
    }
}

/// A route's Swift track as the sandbox sees it: the exercise protocol a student's type conforms to, the catalogue
/// the generated `@main` hands to ``ExerciseHarness``, and the kit modules compiled beside ExerciseKit.
///
/// Everything the builder and the runner need comes from here; neither names a route.
public struct SwiftTrack: Sendable, Hashable {
    /// The exercise protocol, e.g. `LeakyPipelineExercises`.
    public var protocolName: String
    /// The catalogue type as written in Swift, e.g. `LeakyPipelineCatalogue`.
    public var catalogueName: String
    /// The route's own modules, compiled after ExerciseKit in this order (empty when the route's protocol is in
    /// ExerciseKit, as Route 019's is).
    public var modules: [SwiftKitModule]

    /// The track of `catalogue`, whose protocol lives in ExerciseKit or in one of `modules`.
    public init<Catalogue: ExerciseCatalogue>(_ catalogue: Catalogue.Type, modules: [SwiftKitModule] = []) {
        protocolName = Catalogue.protocolName
        catalogueName = String(describing: Catalogue.self)
        self.modules = modules
    }

    /// Every module a student's code may import: ExerciseKit, then the route's.
    var moduleNames: [String] { ["ExerciseKit"] + modules.map(\.name) }
}

extension SwiftTrack {
    /// The root of the Swift package in `directory`: `directory` itself when it holds `Package.swift`, else its one
    /// folder that does (a zip's wrapping folder); `nil` when there is none.
    public static func packageRoot(in directory: URL) -> URL? {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
        let folders = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "__MACOSX" }
            .map { directory.appendingPathComponent($0) }
            .filter { fm.fileExists(atPath: $0.appendingPathComponent("Package.swift").path) }
        return folders.count == 1 ? folders[0] : nil
    }

    /// Whether the Swift package in `directory` declares a type conforming to this track's exercise protocol (one
    /// or several): how a route recognizes its Swift submissions. Reads the package as the builder does (links
    /// leading outside it are not followed); never compiles.
    public func isDeclared(inPackageAt directory: URL) -> Bool {
        guard let root = Self.packageRoot(in: directory) else { return false }
        switch StudentSources.locate(in: root, track: self) {
        case .success: return true
        case .failure(let problem): return problem.message.hasPrefix("has several types conforming")
        }
    }
}
