import Foundation

/// Runs the field's reference tools (NumPy, SciPy, scikit-learn, h5py, openpyxl, nbformat) for cross-check tests.
///
/// Locally a missing Python package makes such a test record an issue-free skip through `isAvailable`;
/// in CI (`BELAY_REQUIRE_PYTHON=1`, set by `.ci/run`) a missing package is a test failure instead,
/// so the cross-checks can never silently stop running where it matters.
public enum Python {
    /// The interpreter: `$BELAY_PYTHON`, else `python3` on the PATH.
    public static var executable: String {
        ProcessInfo.processInfo.environment["BELAY_PYTHON"] ?? "python3"
    }

    /// True when CI demands that every cross-check runs.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["BELAY_REQUIRE_PYTHON"] == "1"
    }

    /// Whether `python3 -c "import m1, m2"` succeeds (with no modules: whether Python runs at all). When
    /// `isRequired` and it does not, this returns true
    /// anyway so that the test runs and fails loudly on the import.
    public static func isAvailable(_ modules: String...) -> Bool {
        if isRequired { return true }
        // `isAvailable()` asks for the interpreter alone ("import " with no module would be a syntax error).
        let result = try? run(script: modules.isEmpty ? "pass" : "import " + modules.joined(separator: ", "))
        return result?.status == 0
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `script` with `arguments` (available as `sys.argv[1:]`); stdout and stderr are captured whole.
    @discardableResult
    public static func run(script: String, arguments: [String] = [], stdin: Data? = nil) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONHASHSEED"] = "0"
        environment["OPENBLAS_NUM_THREADS"] = environment["OPENBLAS_NUM_THREADS"] ?? "1"
        let run = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"), arguments: [executable, "-c", script] + arguments,
            environment: environment, stdin: stdin)
        return Result(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// Runs `script` and returns its stdout, throwing with its stderr when it exits non-zero.
    public static func output(script: String, arguments: [String] = [], stdin: Data? = nil) throws -> String {
        let result = try run(script: script, arguments: arguments, stdin: stdin)
        guard result.status == 0 else { throw PythonError(status: result.status, stderr: result.stderr) }
        return result.stdout
    }
}

public struct PythonError: Error, CustomStringConvertible {
    public var status: Int32
    public var stderr: String
    public var description: String { "python exited with status \(status):\n\(stderr)" }
}

/// A fresh temporary directory, removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public init(prefix: String = "belay-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public var path: String { url.path }
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    public func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Runs a program to completion for a test, capturing its output.
public enum ChildProcess {
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` and `environment`, feeding `stdin`; both output streams are read
    /// concurrently so that neither can fill up and block the child.
    public static func run(
        _ executable: URL, arguments: [String], environment: [String: String], stdin: Data? = nil
    ) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
