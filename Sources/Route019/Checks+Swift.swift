import BelayGrading

extension Route019Checks {
    /// Checks that only a Swift module allows (edge cases run inside the sandbox); filled by the Swift route.
    static let swiftModule: [String: CheckImplementation<Route019Context>] = [:]
}
