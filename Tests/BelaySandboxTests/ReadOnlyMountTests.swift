@testable import BelaySandbox
import BelayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// ``SandboxPolicy/readOnlyMounts``: a folder behind a parent closed to other users (a Python installation under
/// `/root`) is shown to the run's private uid read-only at a neutral mount point, and only there.
@Suite(.serialized, .timeLimit(.minutes(45)))
struct ReadOnlyMountTests {
    @Test(.enabled(if: isRoot, "needs root: the private uid and the mount"))
    func aClosedFolderIsReadableAtItsMountPointOnlyAndNotWritable() async throws {
        // Outside /tmp, which the run replaces first (as /root would be for a pyenv Python).
        let closed = URL(fileURLWithPath: "/srv/belay-closed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: closed, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: closed) }
        chmod(closed.path, 0o700)
        let installation = closed.appendingPathComponent("installation")
        try FileManager.default.createDirectory(at: installation, withIntermediateDirectories: true)
        chmod(installation.path, 0o755)
        try Data("#!/bin/sh\necho from-the-installation\n".utf8).write(to: installation.appendingPathComponent("tool"))
        chmod(installation.appendingPathComponent("tool").path, 0o755)

        let view = "/run/belay-test-view"
        let policy = quickPolicy { $0.readOnlyMounts = [view: installation.path] }
        let (result, _, dir) = try await runShell(
            "\(view)/tool; cat '\(installation.path)/tool' 2>/dev/null || echo UNREACHABLE-IN-PLACE; "
                + "touch \(view)/new 2>/dev/null && echo WROTE || echo READ-ONLY",
            policy: policy)
        defer { dir.cleanup() }
        if result.appliedLimits.contains(where: { $0.hasPrefix("private /tmp") }) {
            #expect(result.termination == .exited(0), "\(result.stderrText)\n\(result.appliedLimits)")
            #expect(result.stdoutText.contains("from-the-installation"), "\(result.stdoutText)\(result.stderrText)")
            #expect(result.stdoutText.contains("UNREACHABLE-IN-PLACE"))
            #expect(result.stdoutText.contains("READ-ONLY"))
            #expect(result.appliedLimits.contains("\(installation.path) visible read-only at \(view)"))
            #expect(!FileManager.default.fileExists(atPath: installation.appendingPathComponent("new").path))
        } else {
            // No mount namespace: the run is not started rather than started without what it needs.
            guard case .failedToStart(let why) = result.termination else {
                Issue.record("started without the read-only view: \(result.termination)")
                return
            }
            #expect(why.contains("mount namespace"))
        }
        // Nothing is left on the host's /run.
        #expect(!FileManager.default.fileExists(atPath: view))
    }

    @Test func theMountScriptShowsTheFolderBeforeHidingAnything() {
        let plan = Sandbox.CoverPlan(replaced: ["/run"], hidden: ["/root"])
        let script = Sandbox.mountScript(plan: plan, mount: "/usr/bin/mount", size: 1 << 20, readOnlyMounts: ["/run/v": "/root/py"])
        let bind = script.range(of: "--bind '/root/py' '/run/v'")
        let hide = script.range(of: "tmpfs '/root'")
        #expect(bind != nil && hide != nil)
        if let bind, let hide { #expect(bind.lowerBound < hide.lowerBound) }
        #expect(script.contains("remount,bind,ro"))
    }
}
