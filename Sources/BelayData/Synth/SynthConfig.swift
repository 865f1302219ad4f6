/// Parameters of a synthetic Route 019 dataset.
///
/// Every field has a default that mirrors the course files' scale (a few thousand proteins, about a
/// thousand labelled, 1024-wide embeddings). Out-of-range values are clamped by the generator rather
/// than trapping: negative counts become 0, `labeled` is capped at `proteins`, `dimension` is at
/// least 1 and `missingEmbeddingShare` is clamped to 0...1.
public struct SynthConfig: Sendable, Hashable {
    /// Number of proteins in the simulated proteome (every one gets a sequence).
    public var proteins: Int
    /// Number of proteins in the sheet (the labelled rows, some of which clean to a blank label).
    public var labeled: Int
    /// Seed of the generator's own xoshiro256** stream; the same seed gives the same bytes.
    public var seed: UInt64
    /// Width of each embedding vector.
    public var dimension: Int
    /// Share of the sheet's proteins that have no embedding (so alignment by id matters).
    public var missingEmbeddingShare: Double

    /// Creates a configuration; every argument has the course-scale default.
    public init(
        proteins: Int = 4000, labeled: Int = 1200, seed: UInt64 = 42, dimension: Int = 1024,
        missingEmbeddingShare: Double = 0.02
    ) {
        self.proteins = proteins
        self.labeled = labeled
        self.seed = seed
        self.dimension = dimension
        self.missingEmbeddingShare = missingEmbeddingShare
    }
}

/// The three cleaned location classes of the route (raw values are the sheet's `location` spellings).
public enum SynthLocation: String, Sendable, Hashable, CaseIterable, Comparable {
    case cytoplasm
    case membrane
    case secreted

    /// Orders the classes as the route lists them: cytoplasm, membrane, secreted.
    public static func < (lhs: SynthLocation, rhs: SynthLocation) -> Bool {
        lhs.index < rhs.index
    }

    /// 0, 1, 2 in the route's order.
    var index: Int {
        switch self {
        case .cytoplasm: 0
        case .membrane: 1
        case .secreted: 2
        }
    }
}
