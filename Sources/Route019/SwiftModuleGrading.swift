public import Foundation

/// Turns a student's Swift package into a `Route019Submission` by building it and calling its functions in the
/// sandbox on the reference inputs. The grader process never loads student code.
public protocol SwiftModuleGrading: Sendable {
    func submission(packageAt directory: URL, name: String, reference: Route019Reference) async -> Route019Submission
}
