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
