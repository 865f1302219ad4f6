/// What you implement for Route 019, "The Leaky Pipeline": one function per task.
///
/// Write one type (a `struct` is fine) in your package that conforms to this protocol:
///
/// ```swift
/// import ExerciseKit
///
/// public struct MySolution: LeakyPipelineExercises {
///     public init() {}
///     public func features(of sequence: String) -> [Int] { ... }
///     // ... one function per task
/// }
/// ```
///
/// The grader builds your package, creates your type with `init()` and calls each function with the
/// course data, one task at a time in a separate process: a task that crashes or never returns fails
/// that task only. Your functions receive inputs only, never the expected answers.
public protocol LeakyPipelineExercises {
    /// Creates your solution. Keep it cheap: it runs once per task.
    init()

    /// Ex0: the 21 features of one protein sequence.
    ///
    /// Returns `[length, count(A), count(C), count(D), ..., count(Y)]`, the counts in the order of
    /// ``AminoAcids/standard`` (`ACDEFGHIKLMNPQRSTVWY`). Rules:
    /// - whitespace (spaces, newlines) is ignored;
    /// - lower-case letters count as their upper-case letter;
    /// - one terminal `*` (stop) is ignored;
    /// - any other letter (such as `X`, `U`, `B`) counts towards the length only.
    func features(of sequence: String) -> [Int]

    /// Ex0: the cleaned label of one UniProt "Subcellular location [CC]" text.
    ///
    /// Returns `"cytoplasm"`, `"membrane"` or `"secreted"`; `nil` when the text names none of these
    /// classes or more than one. Evidence tags such as `{ECO:0000269|PubMed:123}` and `Note=...` parts
    /// are ignored; locations are separated by `;` or `.`. Locations (case ignored):
    /// - cytoplasm: `Cytoplasm`, `Cytosol`;
    /// - membrane: `Cell membrane`, `Membrane`, `Cell inner membrane`, `Cell outer membrane`,
    ///   `Multi-pass membrane protein`, `Single-pass membrane protein`, `Peripheral membrane protein`,
    ///   `Lipid-anchor`;
    /// - secreted: `Secreted` (also `Secreted, cell wall`), `Extracellular space`;
    /// - anything else (e.g. `Cell wall`, `Periplasm`) names no class.
    ///
    /// Some datasets (the embedded H37Rv one among them) give Gene Ontology cellular-component terms instead,
    /// as `plasma membrane [GO:0005886]; cytosol [GO:0005829]`. Then each `;`-separated term's name (before
    /// ` [GO:`) is matched exactly: `cytosol`, `cytoplasm` → cytoplasm; `plasma membrane`, `membrane`,
    /// `cell outer membrane` → membrane; `extracellular region`, `extracellular space` → secreted; every other
    /// term (`cytoplasmic side of plasma membrane`, `ribosome`, `cell wall` …) names no class.
    func cleanLocation(_ uniprotText: String) -> String?

    /// Ex1: the integer code of every class: the distinct labels sorted, numbered `0, 1, ..., k-1`.
    func encodeLabels(_ labels: [String]) -> [String: Int]

    /// Ex2: all-pairs cosine similarity of `n` embeddings (rows), an `n x n` matrix.
    func cosineSimilarity(_ embeddings: [[Float]]) -> [[Float]]

    /// Ex2: cluster id of every protein: the connected components of the graph that links `i` and `j`
    /// when `similarity[i][j] > threshold` (strictly greater).
    ///
    /// Number the clusters `0, 1, 2, ...` in order of their first member (protein 0 is in cluster 0).
    func clusters(similarity: [[Float]], threshold: Float) -> [Int]

    /// Ex3: a clustered train/test split: `true` marks a test protein.
    ///
    /// Whole clusters go to test. Any seeded rule that keeps clusters whole is accepted; the same inputs must
    /// always give the same split. Belay's reference rule is
    /// ``SeededSplit/clustered(clusters:testFraction:seed:mode:)``: call it to get exactly Belay's split.
    func clusteredSplit(clusters: [Int], testFraction: Double, seed: UInt64) -> [Bool]

    /// Ex3: a random train/test split of `count` proteins: `true` marks a test protein.
    ///
    /// Belay's reference rule is ``SeededSplit/random(count:testFraction:seed:stratifyBy:)`` (shuffle `0..<count`
    /// with `SeededGenerator(seed: seed).shuffle(_:)` and send the first `ceil(testFraction * count)` to test).
    func randomSplit(count: Int, testFraction: Double, seed: UInt64) -> [Bool]

    /// Ex3: the fraction of positions where `predicted` equals `truth` (two arrays of the same length).
    func accuracy(truth: [Int], predicted: [Int]) -> Double

    /// Ex4: your four reflection answers.
    ///
    /// The default implementation reads `Reflection.md` at the root of your package (headings `## Q1`
    /// to `## Q4`), so you may answer there instead of in Swift.
    var reflection: Reflection { get }
}

extension LeakyPipelineExercises {
    /// Reads `Reflection.md` from the current directory (your package root, or the grader's copy of it).
    public var reflection: Reflection {
        Reflection(contentsOfFile: Reflection.fileName) ?? Reflection(q1: "", q2: "", q3: "", q4: "")
    }
}

/// The 20 standard amino acids, in the order of the feature vector.
public enum AminoAcids {
    /// `ACDEFGHIKLMNPQRSTVWY`: the order of the 20 counts after the length in ``LeakyPipelineExercises/features(of:)``.
    public static let standard: [Character] = Array("ACDEFGHIKLMNPQRSTVWY")
}
