import BelayRoute
import Route019
import Route020

/// Every route this `belay` grades, one line each: the only place the command line names a route.
/// A new route adds its line here and its target to Package.swift.
let routes = RouteRegistry([
    LeakyPipelineRoute(),
    GoodModelsRoute(),
])

/// The routes for `belay --help`: `'The Leaky Pipeline' (019-leaky-pipeline), ...`.
let routeTitles = routes.routes.map { "'\($0.title)' (\($0.id))" }.joined(separator: ", ")
