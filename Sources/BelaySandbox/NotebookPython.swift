import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Python interpreter that can execute notebooks (nbclient, nbformat, jupyter_client, ipykernel), described as a
/// sandboxed run must see it: the interpreter's real path and the folders of its installation that
/// ``SandboxPolicy/visiblePaths`` must list.
public struct NotebookPython: Sendable, Hashable {
    /// The interpreter's real path (never a pyenv shim or a symbolic link).
    public var executable: String
    /// The installation: `sys.prefix`, `sys.base_prefix` and every folder on `sys.path` outside them (real paths).
    public var visiblePaths: [String]
    /// Variables the run needs to find the installation (`LD_LIBRARY_PATH` for a mounted view, see ``locate(_:)``).
    public var environment: [String: String]
    /// Read-only views the run needs (mount point → installation), for ``SandboxPolicy/readOnlyMounts``.
    public var readOnlyMounts: [String: String] = [:]
    /// `sys.version`, first word.
    public var version: String
    /// What Belay did to make the interpreter usable in the sandbox, if anything, in words.
    public var note: String?

    /// Why no usable interpreter was found, in words fit for a report.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Finds `requested` (a path or a command name; default `python3` on `PATH`), asks it where it is installed
    /// and whether it has nbclient, nbformat, jupyter_client and ipykernel. Cached per process.
    ///
    /// When the grader is root and a folder above the installation is closed to other users (a pyenv Python under
    /// `/root`, mode 0700), the sandbox's private uid could not start it. The run then sees the installation
    /// read-only at ``mountPoint`` (a bind mount in its own mount namespace, under its private `/run`) and starts
    /// the interpreter from there; nothing is written outside the run. Without mount namespaces that is reported
    /// as unavailable.
    ///
    /// - Complexity: one short Python run the first time.
    public static func locate(_ requested: String? = nil) -> Result<NotebookPython, Unavailable> {
        let key = requested ?? ""
        // Held through the probe, so concurrent first calls run Python once.
        return cache.withLock { cache in
            if let cached = cache[key] { return cached }
            let found = probe(requested)
            cache[key] = found
            return found
        }
    }

    private static let cache = Mutex<[String: Result<NotebookPython, Unavailable>]>([:])

    static let probeScript = """
        import importlib, json, os, sys
        missing = []
        for m in ("nbformat", "nbclient", "jupyter_client", "ipykernel", "zmq"):
            try:
                importlib.import_module(m)
            except Exception as e:
                missing.append(m)
        r = os.path.realpath
        print(json.dumps({"executable": r(sys.executable), "prefix": r(sys.prefix), "base": r(sys.base_prefix),
                          "path": [r(p) for p in sys.path if p and os.path.isdir(p)], "missing": missing,
                          "version": sys.version.split()[0]}))
        """

    private struct ProbeReply: Decodable {
        var executable: String
        var prefix: String
        var base: String
        var path: [String]
        var missing: [String]
        var version: String
    }

    private static func probe(_ requested: String?) -> Result<NotebookPython, Unavailable> {
        let name = requested ?? "python3"
        let environment = ProcessInfo.processInfo.environment
        var command: String?
        if name.contains("/") {
            command = access(name, X_OK) == 0 ? name : nil
        } else {
            command = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
                .first { access($0, X_OK) == 0 }
        }
        guard let command else {
            return .failure(Unavailable(description: "no Python interpreter `\(name)` found" + (name.contains("/") ? "" : " on PATH")))
        }
        // The grader's own interpreter, run with the grader's environment (a pyenv shim needs it).
        let outcome = ProcessRunner(
            executable: command, arguments: [command, "-c", probeScript],
            environment: environment.map { "\($0.key)=\($0.value)" }, workingDirectory: "/", stdin: Data(),
            resultChannel: false, wallSeconds: 60, maxOutputBytes: 1 << 20, maxResultBytes: 0, sweepUID: nil
        ).run()
        guard outcome.termination == .exited(0),
            let line = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").last,
            let reply = try? JSONDecoder().decode(ProbeReply.self, from: Data(line.utf8))
        else {
            let err = String(decoding: outcome.stderr.suffix(400), as: UTF8.self)
            return .failure(Unavailable(description: "`\(command)` did not answer as a Python 3 interpreter: \(err)"))
        }
        guard reply.missing.isEmpty else {
            return .failure(
                Unavailable(
                    description: "`\(reply.executable)` (Python \(reply.version)) lacks \(reply.missing.joined(separator: ", ")); "
                        + "install them with `\(reply.executable) -m pip install nbclient nbformat ipykernel` (or run scripts/setup)"))
        }
        var visible = [reply.prefix]
        for path in [reply.base] + reply.path where !visible.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            visible.append(path)
        }
        var python = NotebookPython(
            executable: reply.executable, visiblePaths: visible, environment: [:], version: reply.version, note: nil)
        guard geteuid() == 0, let closed = visible.compactMap(closedAncestor).first else { return .success(python) }
        // The private uid cannot reach the installation: the run sees it read-only at a neutral mount point.
        guard reply.prefix == reply.base, visible.count == 1 || visible.dropFirst().allSatisfy({ closedAncestor($0) == nil }),
            reply.executable.hasPrefix(reply.prefix + "/")
        else {
            return .failure(
                Unavailable(
                    description: "the run's private uid cannot reach `\(reply.executable)`: \(closed) is closed to other users; "
                        + "install Python where every user can read it (/usr/local, /opt) or pass --python"))
        }
        guard HostCapabilities.current.mountIsolation else {
            return .failure(
                Unavailable(
                    description: "the run's private uid cannot reach `\(reply.executable)`: \(closed) is closed to other users, and "
                        + "this machine does not permit the mount namespace that would show it read-only to the run; install Python "
                        + "where every user can read it (/usr/local, /opt) or pass --python"))
        }
        python.executable = mountPoint + reply.executable.dropFirst(reply.prefix.count)
        python.visiblePaths = Array(visible.dropFirst())
        python.readOnlyMounts = [mountPoint: reply.prefix]
        python.environment["LD_LIBRARY_PATH"] = mountPoint + "/lib"
        python.note = "\(reply.prefix) is behind \(closed), closed to other users; the run sees it read-only at \(mountPoint)"
        return .success(python)
    }

    /// Where the run sees an installation it could not reach in place (inside its private `/run`).
    public static let mountPoint = "/run/belay-python"

    /// The first folder on the way to `path` (or `path` itself) that other users cannot enter, or nil.
    static func closedAncestor(_ path: String) -> String? {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            var info = stat()
            guard stat(current, &info) == 0 else { return current }
            if (info.st_mode & S_IFMT) == S_IFDIR, info.st_mode & S_IXOTH == 0 { return current }
        }
        return nil
    }
}
