import BelayGrading
public import Foundation

/// The routes one `belay` binary knows. The command line holds exactly one registry (`Sources/belay/Routes.swift`,
/// one line per route) and finds every route through it.
public struct RouteRegistry: Sendable {
    /// The routes, in the order `belay --help` and error messages list them.
    public let routes: [any Route]

    /// A registry of `routes` (ids must be unique).
    public init(_ routes: [any Route]) {
        precondition(Set(routes.map(\.id)).count == routes.count, "route ids must be unique")
        self.routes = routes
    }

    /// The known ids, comma-separated, for messages and help.
    public var knownIDs: String { routes.map(\.id).joined(separator: ", ") }

    /// Every route's params (rubric and reference ones) with their help, for `belay reference --help`.
    public var parameterHelp: String {
        routes.map { route in
            let rules = route.rubricParameters + route.referenceParameters
            return "Params of \(route.id) (\(route.title)):\n"
                + rules.map { "  \($0.key): \($0.help.isEmpty ? "(undocumented)" : $0.help)" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// The route with `id`, or a ``RouteLookupError`` listing the known ones (with a "did you mean").
    public func route(id: String) throws -> any Route {
        if let route = routes.first(where: { $0.id == id }) { return route }
        // A prefix is enough when it is unambiguous: `--route 019` for `019-leaky-pipeline`.
        let byPrefix = routes.filter { $0.id.hasPrefix(id) && !id.isEmpty }
        if byPrefix.count == 1 { return byPrefix[0] }
        throw RouteLookupError(message: "unknown route '\(id)' (known: \(knownIDs))")
    }

    /// The route to use: `id` (from `--route`) when given; else the route the rubric at `rubric` names in its
    /// `route:` key; else the only route; else the one route that recognizes the `submissions` (folders or `.zip`
    /// archives, looked into without extracting: ``SubmissionFiles/names(of:depth:limit:)``,
    /// ``Route/recognizes(submissionAt:fileNames:)``, which for a Swift package in a folder also looks for the
    /// route's exercise protocol); else the first registered route, the default. When both `id` and a
    /// rubric are given they must agree. Submissions that several routes recognize (a class folder mixing two
    /// routes' students, or one submission holding both routes' files) are an error naming the routes, a few
    /// submissions of each, and the `--route` to pass: Belay never guesses between two routes.
    /// - Throws: ``RouteLookupError``, or ``RubricError`` when the rubric cannot be read.
    public func resolve(id: String?, rubric: URL?, submissions: [URL] = []) throws -> any Route {
        let named = try rubric.map { try Rubric.load(contentsOf: $0).route }
        if let id {
            let route = try route(id: id)
            if let named, named != route.id {
                throw RouteLookupError(
                    message: "--route \(route.id) but the rubric \(rubric!.lastPathComponent) is for route '\(named)'")
            }
            return route
        }
        if let named {
            guard let route = routes.first(where: { $0.id == named }) else {
                throw RouteLookupError(
                    message: "the rubric \(rubric!.lastPathComponent) is for route '\(named)', which this belay does not know (known: \(knownIDs))")
            }
            return route
        }
        guard routes.count > 1 else { return routes[0] }
        let fileNames = submissions.map { SubmissionFiles.names(of: $0) }
        let recognized = routes.map { route in
            (route: route, submissions: submissions.indices.filter { route.recognizes(submissionAt: submissions[$0], fileNames: fileNames[$0]) })
        }.filter { !$0.submissions.isEmpty }
        if recognized.count > 1 {
            func some(_ indices: [Int]) -> String {
                let names = indices.prefix(3).map { submissions[$0].lastPathComponent }.joined(separator: ", ")
                return indices.count > 3 ? "\(names) and \(indices.count - 3) more" : names
            }
            let seen = recognized.map { "\($0.route.id) (\(some($0.submissions)))" }.joined(separator: "; ")
            let options = recognized.map { "--route \($0.route.id)" }.joined(separator: " or ")
            throw RouteLookupError(
                message: "the submissions look like more than one route's: \(seen). "
                    + "Choose the route with \(options), or grade each route's submissions from a folder of their own")
        }
        return recognized.first?.route ?? routes[0]
    }
}

/// No route fits what the command line asked for.
public struct RouteLookupError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, listing the known routes.
    public var message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}
