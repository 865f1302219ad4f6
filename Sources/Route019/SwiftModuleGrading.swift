public import Foundation

/// Turns a student's Swift package into a `Route019Submission` by building it and calling its functions in the
/// sandbox on the reference inputs. The grader process never loads student code.
public protocol SwiftModuleGrading: Sendable {
    /// Throws only when the grader itself cannot work (no Swift toolchain, a broken cache); a student's compile
    /// error, crash or timeout is part of the returned submission.
    func submission(packageAt directory: URL, name: String, reference: Route019Reference) async throws
        -> Route019Submission
}
