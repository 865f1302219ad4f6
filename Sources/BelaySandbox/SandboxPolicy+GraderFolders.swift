public import Foundation

extension SandboxPolicy {
    /// What a student's process must not see although it may be world-readable (for ``hiddenPaths``): the folders
    /// of the rubric and of the data files, the class folder (other students: the submission's parent), Belay's own
    /// source tree (reference solutions), the grader's executable folder, working folder, home and result cache.
    /// Folders holding the Swift toolchain (`swiftc`) stay visible: the module links its runtime.
    public static func graderFolders(rubric: URL?, dataFiles: [String], submission: URL, swiftc: String) -> [String] {
        var paths: [String] = []
        if let rubric { paths.append(rubric.deletingLastPathComponent().path) }
        for file in dataFiles { paths.append(URL(fileURLWithPath: file).deletingLastPathComponent().path) }
        paths.append(submission.standardizedFileURL.deletingLastPathComponent().path)
        // Belay's source tree: Sources/BelaySandbox/<this file> → the package root.
        paths.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)
        if let executable = Bundle.main.executableURL { paths.append(executable.deletingLastPathComponent().path) }
        paths.append(FileManager.default.currentDirectoryPath)
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["HOME"] { paths.append(home) }
        // Belay's result cache (BelayRoute's ResultStore: $BELAY_CACHE_DIR, else $XDG_CACHE_HOME/belay, else in home).
        for folder in [environment["BELAY_CACHE_DIR"], environment["XDG_CACHE_HOME"]] {
            if let folder, folder.hasPrefix("/") { paths.append(folder) }
        }
        let toolchain = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
        return paths.filter { !toolchain.hasPrefix($0 + "/") }
    }
}
