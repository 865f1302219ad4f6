public import Foundation
import BelaySandbox
import ExerciseKit

/// The Swift route's entry point: how `belay` obtains a grader for Swift packages.
public enum SwiftRoute {
    /// The Swift-module grader, or the reason this machine cannot grade Swift packages (no toolchain found).
    public static func grading() -> Result<any SwiftModuleGrading, any Error> {
        do {
            return .success(try Route019SwiftGrading())
        } catch {
            return .failure(error)
        }
    }
}

extension LeakyPipelineRoute {
    /// A Swift package is this route's when it declares a type conforming to `LeakyPipelineExercises`; other
    /// submissions are recognized by their file names (``recognizes(fileNames:)``).
    /// A `Package.swift` alone says nothing: every route's Swift packages have one.
    public func recognizes(submissionAt directory: URL, fileNames: Set<String>) -> Bool {
        recognizes(fileNames: fileNames)
            || (fileNames.contains("package.swift") && SwiftTrack(LeakyPipelineCatalogue.self).isDeclared(inPackageAt: directory))
    }
}
