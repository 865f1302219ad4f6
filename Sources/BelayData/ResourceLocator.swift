public import Foundation

/// Finds files Belay ships as package resources, without `Bundle.module`, which traps when its bundle folder is
/// missing (a moved or installed binary). Tried in order: an environment override, the resource bundle next to
/// the executable (where `swift build` puts it), and the source tree the binary was built from.
public enum ResourceLocator {
    /// Locates `relativePath` inside the resource bundle of `target` (e.g. target "BelayData", path "mtb-h37rv").
    ///
    /// - Parameters:
    ///   - environmentKey: a variable that, when set, names the resource's path directly.
    ///   - sourceDirectory: the target's folder in the source tree (`#filePath`-derived), the last resort.
    public static func locate(
        _ relativePath: String, target: String, environmentKey: String? = nil, sourceDirectory: URL
    ) -> URL? {
        let fm = FileManager.default
        if let key = environmentKey, let value = ProcessInfo.processInfo.environment[key], !value.isEmpty {
            return URL(fileURLWithPath: value)
        }
        var candidates: [URL] = []
        let bundleName = "Belay_\(target).resources"
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.appendingPathComponent(bundleName))
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        candidates.append(sourceDirectory.appendingPathComponent("Resources"))
        for base in candidates {
            let url = base.appendingPathComponent(relativePath)
            if fm.fileExists(atPath: url.path) { return url }
        }
        return nil
    }
}

extension ResourceLocator {
    /// The rubric a route ships, `<routeID>/rubric.yaml` in the resources of its module `target` (its
    /// `Resources/<routeID>/rubric.yaml`); `environmentKey` (e.g. `BELAY_RUBRIC`) overrides it with a path.
    /// - Parameter sourceDirectory: the route module's folder (from `#filePath`), the last resort.
    /// - Throws: ``DatasetError`` when the build lacks it, saying to pass `--rubric`.
    public static func shippedRubric(
        routeID: String, target: String, environmentKey: String, sourceDirectory: URL
    ) throws -> URL {
        guard
            let url = locate(
                "\(routeID)/rubric.yaml", target: target, environmentKey: environmentKey, sourceDirectory: sourceDirectory)
        else {
            throw DatasetError(
                path: "rubric.yaml", message: "the route's default rubric is missing from Belay's resources; pass --rubric FILE")
        }
        return url
    }
}
