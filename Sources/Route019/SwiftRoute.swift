/// The Swift route's entry point: how `belay` obtains a grader for Swift packages.
public enum SwiftRoute {
    /// The Swift-module grader, or nil where this build cannot grade Swift packages.
    public static func grading() -> (any SwiftModuleGrading)? { nil }
}
