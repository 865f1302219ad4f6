public import Foundation

/// One submission opened for grading: the folder to grade and its fingerprint. `belay check` and `belay grade`
/// open every submission here, so both apply the same unzip policy (``SubmissionArchive``, with ``ZipLimits``)
/// and the same hash (``SubmissionHash``).
public struct SubmissionInput: Sendable {
    /// The folder (or single file, e.g. a notebook) to hand the route's ``SubmissionGrader``.
    public var root: URL
    /// ``SubmissionHash`` of `root`.
    public var sha256: String
    /// The folder an archive was unpacked into (the caller removes it when done); nil for folders.
    public var scratch: URL?

    /// Opens `url`: a `.zip` is unpacked safely into `scratch` (created here; pass a fresh path), anything else is
    /// used in place. Then the submission is hashed.
    /// - Throws: ``SubmissionArchiveError`` for an unsafe or corrupt archive, ``SubmissionInputError`` when the
    ///   submission cannot be read. Either is that student's problem, reported as such.
    public static func open(_ url: URL, scratch: URL, limits: ZipLimits = ZipLimits()) throws -> SubmissionInput {
        if isArchive(url) {
            do {
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            } catch {
                throw SubmissionInputError(path: scratch.path, problem: "cannot create a folder to unpack into (\(error.localizedDescription))")
            }
            let root = try SubmissionArchive.extract(url, to: scratch, limits: limits)
            return SubmissionInput(root: root, sha256: try SubmissionHash.sha256(of: root), scratch: scratch)
        }
        return SubmissionInput(root: url, sha256: try SubmissionHash.sha256(of: url), scratch: nil)
    }

    /// Whether `url` is handed in as an archive (`.zip`, any case).
    public static func isArchive(_ url: URL) -> Bool { url.pathExtension.lowercased() == "zip" }
}

/// A submission that cannot be read at all (not a route's check failing: the files are not there to check).
public struct SubmissionInputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file or folder concerned.
    public var path: String
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `path: problem`.
    public var description: String { "\(path): \(problem)" }
}
