import Foundation
import ZIPFoundation

/// Gradescope's autograder zip: `setup.sh` and `run_autograder` at the root (Gradescope's autograder
/// specification), a `belay` with the Swift runtime linked in, everything it finds beside itself at run time, the
/// shared libraries it loads that a base image lacks, the rubric and the data.
///
/// Layout of the zip (Gradescope extracts it to `/autograder/source`):
///
///     setup.sh  run_autograder  belay-bundle.env  python-requirements.txt  rubric.yaml  [data/]
///     bin/belay  bin/belay-sandbox-init  bin/Belay_*.resources/
///     lib/*.so*            every library `ldd` resolves, except glibc's and the GCC runtime (the image's are used)
///
/// `belay-bundle.env` records the glibc the bundle needs (the highest `GLIBC_x.y` any shipped file asks for) and
/// the libstdc++ (`GLIBCXX_x.y.z`); both scripts compare the glibc with the image's, and explain a mismatch (or a
/// `belay` that does not start) instead of failing obscurely.
struct GradescopeBundle {
    /// The static `belay` to ship; `belay-sandbox-init` and the resource bundles are taken from its folder.
    var belay: URL
    var rubric: URL
    /// A dataset folder to ship and grade against; nil grades against the embedded data.
    var data: URL?
    var sheet: String?
    /// Belay's own limit on one submission, in seconds; keep it below the assignment's Gradescope timeout.
    var timeoutSeconds: Int
    var runNotebooks: Bool

    /// What was put in the zip, for the command's summary.
    struct Summary {
        var glibcNeeded: String
        var glibcxxNeeded: String
        var baseImage: String
        var libraries: [String]
        var resourceBundles: [String]
        var bytes: Int
    }

    struct BundleError: Error, CustomStringConvertible {
        var description: String
    }

    /// The command that builds a `belay` this bundle can ship.
    static let buildCommand = "swift build -c release --static-swift-stdlib  (or scripts/build-static-belay)"

    /// Libraries never shipped: glibc's own, and the GCC runtime (`libstdc++`, `libgcc_s`), which every Ubuntu
    /// image has and whose newer versions keep every older version's symbols. An older copy first on
    /// `LD_LIBRARY_PATH` could break the image's own programs that Belay starts (Python for notebooks).
    static func isTakenFromTheImage(_ soname: String) -> Bool {
        let base = soname.split(separator: ".").first.map(String.init) ?? soname
        return soname.hasPrefix("ld-linux") || soname.hasPrefix("linux-vdso") || soname.hasPrefix("libnss_")
            || ["libc", "libm", "libpthread", "libdl", "librt", "libresolv", "libutil", "libanl", "libmvec",
                "libBrokenLocale", "libthread_db", "libcrypt", "libnsl", "libstdc++", "libgcc_s"].contains(base)
    }

    /// Gradescope's Ubuntu base images, oldest first, with their glibc and libstdc++ (`GLIBCXX_`) versions.
    static let baseImages: [(name: String, glibc: [Int], glibcxx: [Int])] = [
        ("Ubuntu 18.04", [2, 27], [3, 4, 25]), ("Ubuntu 20.04", [2, 31], [3, 4, 28]),
        ("Ubuntu 22.04", [2, 35], [3, 4, 30]), ("Ubuntu 24.04", [2, 39], [3, 4, 33]),
    ]

    /// The oldest base image whose glibc and libstdc++ are at least the needed versions.
    static func baseImage(glibc: [Int], glibcxx: [Int]) -> String {
        baseImages.first { !$0.glibc.lexicographicallyPrecedes(glibc) && !$0.glibcxx.lexicographicallyPrecedes(glibcxx) }?.name
            ?? "one newer than Ubuntu 24.04 (glibc \(dotted(glibc)), GLIBCXX_\(dotted(glibcxx)))"
    }

    static func dotted(_ version: [Int]) -> String { version.map(String.init).joined(separator: ".") }

    /// The resolved `belay` to ship and its dependencies, after checking that it carries the Swift runtime and
    /// that `belay-sandbox-init` is beside it: cheap, so the command calls it before the slower data checks.
    static func checkedExecutable(_ executable: URL) throws -> (URL, ELFDependencies) {
        let belay = executable.resolvingSymlinksInPath()
        let elf: ELFDependencies
        do { elf = try ELFDependencies(contentsOf: belay) } catch { throw BundleError(description: "\(error)") }
        guard elf.linksSwiftStatically else {
            let dynamic = elf.neededLibraries.filter { $0.hasPrefix("libswift") || $0.hasPrefix("libFoundation") }
            throw BundleError(description: """
                \(belay.path) loads the Swift runtime from the toolchain (\(dynamic.prefix(3).joined(separator: ", ")), …), \
                which Gradescope's image does not have. Build one with the runtime linked in:
                  \(Self.buildCommand)
                and pass --belay with the belay it built (.build/release/belay, or the folder scripts/build-static-belay \
                prints), or run that belay's own `gradescope bundle`.
                """)
        }
        let sandboxInit = belay.deletingLastPathComponent().appendingPathComponent("belay-sandbox-init")
        guard FileManager.default.isExecutableFile(atPath: sandboxInit.path) else {
            throw BundleError(description: """
                belay-sandbox-init is not beside \(belay.path); build it with the same command:
                  swift build -c release --static-swift-stdlib --product belay-sandbox-init
                """)
        }
        return (belay, elf)
    }

    /// Writes the zip to `output` (replacing it) and returns what it holds.
    /// - Complexity: O(size of the shipped files), plus one `ldd` and one `belay --help` run.
    func write(to output: URL) throws -> Summary {
        let fm = FileManager.default
        let (belay, elf) = try Self.checkedExecutable(self.belay)
        let folder = belay.deletingLastPathComponent()
        let sandboxInit = folder.appendingPathComponent("belay-sandbox-init")
        let resourceBundles = try fm.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".resources") }.sorted()
        for needed in ["Belay_BelayData.resources", "Belay_Route019.resources"] where !resourceBundles.contains(needed) {
            throw BundleError(description: "\(needed) (the embedded data, rubric and notebook driver) is not beside \(belay.path): was it built there by swift build?")
        }

        let staging = fm.temporaryDirectory.appendingPathComponent("belay-gradescope-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: staging) }
        let bin = staging.appendingPathComponent("bin"), lib = staging.appendingPathComponent("lib")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        try fm.createDirectory(at: lib, withIntermediateDirectories: true)
        try fm.copyItem(at: belay, to: bin.appendingPathComponent("belay"))
        try fm.copyItem(at: sandboxInit.resolvingSymlinksInPath(), to: bin.appendingPathComponent("belay-sandbox-init"))
        for name in resourceBundles {
            try Self.copyFollowingLinks(folder.appendingPathComponent(name), to: bin.appendingPathComponent(name))
        }

        // The libraries: what the dynamic loader resolves here, minus those taken from the image. The versions
        // needed from the image are the highest any shipped file asks for.
        var dependencies = [elf, try ELFDependencies(contentsOf: sandboxInit)]
        var libraries: [String] = []
        for (soname, path) in try Self.resolvedLibraries(of: belay) where !Self.isTakenFromTheImage(soname) {
            let library = URL(fileURLWithPath: path).resolvingSymlinksInPath()
            try fm.copyItem(at: library, to: lib.appendingPathComponent(soname))
            dependencies.append(try ELFDependencies(contentsOf: library))
            libraries.append(soname)
        }
        func highest(_ prefix: String) -> [Int] {
            dependencies.map { $0.highestVersion(prefix) }.max { $0.lexicographicallyPrecedes($1) } ?? []
        }
        let glibc = highest("GLIBC_"), glibcxx = highest("GLIBCXX_")
        let baseImage = Self.baseImage(glibc: glibc, glibcxx: glibcxx)

        try Data(contentsOf: rubric).write(to: staging.appendingPathComponent("rubric.yaml"))
        if let data { try Self.copyFollowingLinks(data, to: staging.appendingPathComponent("data")) }
        let environment: [(String, String)] = [
            ("BELAY_VERSION", belayVersion),
            ("BELAY_GLIBC_NEEDED", Self.dotted(glibc)),
            ("BELAY_GLIBCXX_NEEDED", Self.dotted(glibcxx)),
            ("BELAY_BASE_IMAGE", baseImage),
            ("BELAY_BUILT_ON", Self.systemDescription()),
            ("BELAY_TIMEOUT", String(timeoutSeconds)),
            ("BELAY_RUN_NOTEBOOKS", runNotebooks ? "1" : "0"),
            ("BELAY_HAS_DATA", data == nil ? "0" : "1"),
            ("BELAY_SHEET", sheet ?? ""),
        ]
        let envText = "# Written by `belay gradescope bundle`; read by setup.sh and run_autograder.\n"
            + environment.map { "\($0.0)=\(Self.shellQuoted($0.1))\n" }.joined()
        try Data(envText.utf8).write(to: staging.appendingPathComponent("belay-bundle.env"))
        try Data(Self.pythonRequirements.utf8).write(to: staging.appendingPathComponent("python-requirements.txt"))
        for (name, text) in [("setup.sh", Self.setupScript), ("run_autograder", Self.runScript)] {
            try Data((text + "\n").utf8).write(to: staging.appendingPathComponent(name))
        }
        for path in ["setup.sh", "run_autograder", "bin/belay", "bin/belay-sandbox-init"] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staging.appendingPathComponent(path).path)
        }

        try Self.smokeTest(staging)

        // Zip beside the target and rename over it, so a failed run never leaves half a zip under its name.
        try fm.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).partial-\(getpid())")
        try? fm.removeItem(at: partial)
        do {
            try fm.zipItem(at: staging, to: partial, shouldKeepParent: false, compressionMethod: .deflate)
            if fm.fileExists(atPath: output.path) { try fm.removeItem(at: output) }
            try fm.moveItem(at: partial, to: output)
        } catch {
            try? fm.removeItem(at: partial)
            throw error
        }
        let bytes = (try? fm.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        return Summary(
            glibcNeeded: Self.dotted(glibc), glibcxxNeeded: Self.dotted(glibcxx), baseImage: baseImage, libraries: libraries, resourceBundles: resourceBundles, bytes: bytes)
    }

    /// Copies `source` (a file or a folder tree) to `destination`, replacing every symbolic link with what it
    /// points to: a link in the zip would point nowhere on Gradescope (a course folder often links its data).
    static func copyFollowingLinks(_ source: URL, to destination: URL) throws {
        let fm = FileManager.default
        let resolved = source.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else {
            throw BundleError(description: "\(source.path) is a link to nothing")
        }
        if isDirectory.boolValue {
            try fm.createDirectory(at: destination, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: resolved.path).sorted() {
                try copyFollowingLinks(resolved.appendingPathComponent(name), to: destination.appendingPathComponent(name))
            }
        } else {
            try fm.copyItem(at: resolved, to: destination)
        }
    }

    /// `soname => path` pairs of every library `ldd` resolves for `executable` (the whole closure), in its order.
    /// A library that does not resolve is an error: the bundle would not start anywhere.
    static func resolvedLibraries(of executable: URL) throws -> [(String, String)] {
        let run = try runTool("/usr/bin/ldd", [executable.path], environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"])
        guard run.status == 0 else { throw BundleError(description: "ldd \(executable.path) failed: \(run.output)") }
        var pairs: [(String, String)] = []
        for line in run.output.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count >= 3, parts[1] == "=>" else { continue }
            let soname = parts[0].trimmingCharacters(in: .whitespaces)
            if parts[2] == "not" {
                throw BundleError(description: "\(executable.lastPathComponent) needs \(soname), which is not installed here")
            }
            pairs.append((soname, parts[2]))
        }
        return pairs
    }

    /// Runs the staged `belay --help` with the staged libraries first: a library missing from the bundle shows here.
    static func smokeTest(_ staging: URL) throws {
        let run = try runTool(
            staging.appendingPathComponent("bin/belay").path, ["--help"],
            environment: ["LD_LIBRARY_PATH": staging.appendingPathComponent("lib").path, "PATH": "/usr/bin:/bin"])
        guard run.status == 0 else {
            throw BundleError(description: "the bundled belay does not start (exit \(run.status)): \(run.output.prefix(2000))")
        }
    }

    static func runTool(_ path: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `PRETTY_NAME` of /etc/os-release, for the setup script's message.
    static func systemDescription() -> String {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "an unknown Linux"
    }

    /// `value` as one single-quoted shell word.
    static func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
