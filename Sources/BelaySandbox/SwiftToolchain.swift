import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The Swift compiler used to build student modules, and its version (part of every cache key).
public struct SwiftToolchain: Sendable, Hashable {
    /// Absolute path of `swiftc`.
    public var swiftc: String
    /// The first line of `swiftc --version`, e.g. `Swift version 6.3.1 (swift-6.3.1-RELEASE)`.
    public var version: String

    /// Finds `swiftc`: `$BELAY_SWIFTC`, else `swiftc` on `$PATH`, else `/opt/swift/usr/bin`, `/usr/bin`.
    ///
    /// - Throws: ``SwiftBuildError/toolchainNotFound(_:)`` when there is none or it does not run.
    public static func find() throws -> SwiftToolchain {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["BELAY_SWIFTC"] { candidates.append(explicit) }
        for directory in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(directory)/swiftc") }
        candidates += ["/opt/swift/usr/bin/swiftc", "/usr/bin/swiftc"]
        guard let swiftc = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw SwiftBuildError.toolchainNotFound("no swiftc in $BELAY_SWIFTC, $PATH, /opt/swift/usr/bin or /usr/bin")
        }
        return try SwiftToolchain(swiftc: swiftc)
    }

    /// Uses a given `swiftc`, asking it for its version.
    public init(swiftc: String) throws {
        let probe = ProcessRunner(
            executable: swiftc, arguments: [swiftc, "--version"], environment: ["PATH=/usr/bin:/bin"],
            workingDirectory: "/", stdin: Data(), resultChannel: false, wallSeconds: 30, maxOutputBytes: 1 << 16,
            maxResultBytes: 0, sweepUID: nil
        ).run()
        let text = String(decoding: probe.stdout + probe.stderr, as: UTF8.self)
        guard probe.termination == .exited(0),
            let line = text.split(separator: "\n").first(where: { $0.contains("Swift version") })
        else {
            throw SwiftBuildError.toolchainNotFound("\(swiftc) --version failed: \(text.prefix(300))")
        }
        self.swiftc = swiftc
        self.version = String(line)
    }
}

/// Why the grader could not build or run student modules (its own problem, never the student's).
public enum SwiftBuildError: Error, CustomStringConvertible, Sendable {
    /// No usable `swiftc`.
    case toolchainNotFound(String)
    /// ExerciseKit did not compile: a broken toolchain or installation.
    case exerciseKitFailed(String)
    /// A file system operation of the grader failed.
    case fileSystem(path: String, message: String)

    public var description: String {
        switch self {
        case .toolchainNotFound(let detail): "Swift toolchain not found: \(detail)"
        case .exerciseKitFailed(let detail): "ExerciseKit did not compile (a problem of the grader's toolchain):\n\(detail)"
        case .fileSystem(let path, let message): "\(path): \(message)"
        }
    }
}
