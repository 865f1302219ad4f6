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
///     lib/*.so*            every library `ldd` resolves, except glibc's own (the image's must be new enough)
///
/// `belay-bundle.env` records the glibc the bundle needs (the highest `GLIBC_x.y` any shipped file asks for);
/// both scripts compare it with the image's and explain a mismatch instead of failing obscurely.
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
        var libraries: [String]
        var resourceBundles: [String]
        var bytes: Int
    }

    struct BundleError: Error, CustomStringConvertible {
        var description: String
    }

    /// The command that builds a `belay` this bundle can ship.
    static let buildCommand = "swift build -c release --static-swift-stdlib  (or scripts/build-static-belay)"

    /// Libraries of glibc itself: never shipped, the image's own are used (and must be new enough).
    static func isGlibc(_ soname: String) -> Bool {
        let base = soname.split(separator: ".").first.map(String.init) ?? soname
        return soname.hasPrefix("ld-linux") || soname.hasPrefix("linux-vdso") || soname.hasPrefix("libnss_")
            || ["libc", "libm", "libpthread", "libdl", "librt", "libresolv", "libutil", "libanl", "libmvec",
                "libBrokenLocale", "libthread_db", "libcrypt", "libnsl"].contains(base) && soname.contains(".so")
    }

    /// Gradescope's base images (Ubuntu) by their glibc, oldest first: the first whose glibc is at least `needed`.
    static func baseImage(forGlibc needed: [Int]) -> String {
        let images: [([Int], String)] = [
            ([2, 27], "Ubuntu 18.04"), ([2, 31], "Ubuntu 20.04"), ([2, 35], "Ubuntu 22.04"), ([2, 39], "Ubuntu 24.04"),
        ]
        return images.first { !$0.0.lexicographicallyPrecedes(needed) }?.1 ?? "an image with glibc \(needed.map(String.init).joined(separator: ".")) (newer than Ubuntu 24.04)"
    }

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
            try fm.copyItem(at: folder.appendingPathComponent(name).resolvingSymlinksInPath(), to: bin.appendingPathComponent(name))
        }

        // The libraries: what the dynamic loader resolves here, minus glibc's own.
        var glibc = elf.highestGlibcVersion
        let initELF = try ELFDependencies(contentsOf: sandboxInit)
        if glibc.lexicographicallyPrecedes(initELF.highestGlibcVersion) { glibc = initELF.highestGlibcVersion }
        var libraries: [String] = []
        for (soname, path) in try Self.resolvedLibraries(of: belay) where !Self.isGlibc(soname) {
            let library = URL(fileURLWithPath: path).resolvingSymlinksInPath()
            try fm.copyItem(at: library, to: lib.appendingPathComponent(soname))
            let needs = try ELFDependencies(contentsOf: library).highestGlibcVersion
            if glibc.lexicographicallyPrecedes(needs) { glibc = needs }
            libraries.append(soname)
        }
        let glibcText = glibc.map(String.init).joined(separator: ".")

        try Data(contentsOf: rubric).write(to: staging.appendingPathComponent("rubric.yaml"))
        if let data { try fm.copyItem(at: data.resolvingSymlinksInPath(), to: staging.appendingPathComponent("data")) }
        let environment: [(String, String)] = [
            ("BELAY_VERSION", belayVersion),
            ("BELAY_GLIBC_NEEDED", glibcText),
            ("BELAY_BASE_IMAGE", Self.baseImage(forGlibc: glibc)),
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
        return Summary(glibcNeeded: glibcText, libraries: libraries, resourceBundles: resourceBundles, bytes: bytes)
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
