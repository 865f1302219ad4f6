public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Executes a notebook in the sandbox: one sandboxed process runs a Python driver (`python3 <driver> CELL BUDGET`)
/// in a prepared working folder; the driver starts a fresh kernel, runs the cells and writes its results there.
/// What the run wrote is read back with ``readResult(_:in:maxBytes:)``: bounded, never through a link.
public enum NotebookRunner {
    /// Limits for one notebook: `notebookSeconds` of wall time for the whole run (kernel start-up included) plus a
    /// minute for Belay's search, CPU time per process as long, 4 GiB of address space per process, 128 processes
    /// and threads, 512 MiB files, 1024 open files, no network, private temporary folders.
    public static func policy(notebookSeconds: Double = 600) -> SandboxPolicy {
        var policy = SandboxPolicy(
            wallSeconds: notebookSeconds + 90, cpuSeconds: Int(notebookSeconds) + 60, memoryBytes: 4 << 30,
            maxOutputBytes: 1 << 20, maxResultBytes: 0, maxProcesses: 128, maxFileBytes: 512 << 20, maxOpenFiles: 1024)
        policy.network = false
        return policy
    }

    /// The environment of the run: the interpreter's folder first on `PATH`, a home and Jupyter's folders in the
    /// run's private `/tmp`, one BLAS thread per process (OpenBLAS reserves address space per thread).
    public static func environment(python: NotebookPython) -> [String: String] {
        let bin = URL(fileURLWithPath: python.executable).deletingLastPathComponent().path
        var environment = [
            "PATH": "\(bin):/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp/home", "USER": "student", "LANG": "C.UTF-8",
            "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime", "JUPYTER_CONFIG_DIR": "/tmp/jupyter-config",
            "JUPYTER_DATA_DIR": "/tmp/jupyter-data", "JUPYTER_PLATFORM_DIRS": "1", "IPYTHONDIR": "/tmp/ipython",
            "MPLCONFIGDIR": "/tmp/mpl", "MPLBACKEND": "Agg", "XDG_CACHE_HOME": "/tmp/cache",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONUNBUFFERED": "1",
        ]
        for (key, value) in python.environment { environment[key] = value }
        return environment
    }

    /// Runs `driver` (a file name in `workingDirectory`) with `python` under `policy`, telling it the per-cell
    /// timeout and the notebook's budget (the policy's wall time less the margin Belay keeps for its search).
    public static func run(
        driver: String, in workingDirectory: URL, python: NotebookPython, cellSeconds: Double,
        notebookSeconds: Double, policy: SandboxPolicy
    ) async -> SandboxResult {
        var policy = policy
        policy.visiblePaths += python.visiblePaths
        policy.readOnlyMounts.merge(python.readOnlyMounts) { _, new in new }
        let (result, _) = await Sandbox.run(
            executable: python.executable,
            // Read by relative path: Python would make a script's path absolute, and the absolute path of the
            // working folder may be hidden by the run's private /tmp.
            arguments: [
                "-c", "exec(compile(open('\(driver)').read(), '\(driver)', 'exec'))", String(Int(cellSeconds)),
                String(Int(notebookSeconds)),
            ],
            workingDirectory: workingDirectory, environment: environment(python: python), policy: policy)
        return result
    }

    /// The bytes of `name` in `directory` when it is a regular file (not a link) of at most `maxBytes`; else why not.
    public static func readResult(_ name: String, in directory: URL, maxBytes: Int) -> Result<Data, ReadFailure> {
        let path = directory.appendingPathComponent(name).path
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.init(description: errno == ENOENT ? "\(name) was not written" : "\(name) cannot be read (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(.init(description: "\(name) is not a regular file"))
        }
        guard Int(info.st_size) <= maxBytes else {
            return .failure(.init(description: "\(name) is \(info.st_size) bytes, more than the \(maxBytes) Belay reads"))
        }
        var data = Data(count: Int(info.st_size))
        var total = 0
        while total < data.count {
            let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n <= 0 { break }
            total += n
        }
        return .success(data.prefix(total))
    }

    /// Why a result file could not be read.
    public struct ReadFailure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }
}
