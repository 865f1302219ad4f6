import BelayChecksum
public import BelayGrading
public import Foundation

/// What `belay grade --shard K/N` records in `OUT/belay-shard.json`, so that `belay gradebook merge` can tell
/// a complete set of shards from a partial or mixed one.
///
/// It names the shard, the whole class it was cut from (count and a hash of every name), the fingerprints every
/// report carries (rubric hash, data hash, Belay version, route), and each of the shard's students with the status and
/// one-line message of their gradebook row (the row cannot be rebuilt from `report.json` alone: an archive that
/// could not be opened and a timeout both leave a stand-in report).
public struct ShardManifest: Codable, Sendable, Equatable {
    /// The file name, in the shard's output folder.
    public static let fileName = "belay-shard.json"
    /// Manifests of another layout are refused rather than misread.
    public static let currentFormat = 2

    /// One student of the shard: their gradebook row's status and message.
    public struct Student: Codable, Sendable, Equatable {
        public var name: String
        public var status: StudentResult.Status
        public var message: String
    }

    public var format = currentFormat
    /// K, 1-based.
    public var shard: Int
    /// N.
    public var of: Int
    /// How students are assigned, for the people reading the file.
    public var assignment = "K = SHA-256(UTF-8 name), first 8 bytes as a big-endian integer, mod N, plus 1"
    /// Submissions in the whole class folder (all shards).
    public var classSize: Int
    /// SHA-256 of every submission name in the class, sorted by UTF-8 bytes, each followed by a newline.
    public var classSHA256: String
    /// The route graded.
    public var route: String
    /// The rubric hash reports carry as `belay.rubric.sha256`.
    public var rubricSHA256: String
    /// The data hash reports carry as `belay.data.sha256`.
    public var dataSHA256: String
    /// The Belay version reports carry as `belay.version`.
    public var belayVersion: String
    /// Whether reports were written with zero durations.
    public var reproducible: Bool
    /// The shard's students, sorted by name.
    public var students: [Student]

    /// The hash of a class's submission names (``classSHA256``).
    public static func classHash(_ names: [String]) -> String {
        let sorted = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return SHA256.hex(sorted.map { $0 + "\n" }.joined())
    }

    /// The manifest as JSON with sorted keys (stable bytes).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The manifest in `directory`, or `nil` when there is none.
    /// - Throws: ``BatchError`` when the file exists but is not a manifest this version reads.
    public static func load(from directory: URL) throws -> ShardManifest? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let manifest: ShardManifest
        do {
            manifest = try JSONDecoder().decode(ShardManifest.self, from: Data(contentsOf: url))
        } catch {
            throw BatchError(path: url.path, message: "not a readable shard manifest (\(error)); grade the shard again")
        }
        guard manifest.format == currentFormat else {
            throw BatchError(
                path: url.path,
                message: "shard manifest format \(manifest.format), this Belay reads \(currentFormat); grade the shard again")
        }
        return manifest
    }
}
