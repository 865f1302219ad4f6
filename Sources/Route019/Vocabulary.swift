import BelayGrading
import Foundation
import BelayRoute

/// The words a report uses for the route's artefacts: the CSV contract's file names, or, for a Swift module, the
/// functions that produced the same artefacts. Checks take every artefact name from here (``Route019Context/names``),
/// so a report is written in its submission's words and nothing is rewritten after grading.
public struct Vocabulary: Sendable, Equatable {
    public var features: String
    public var labelEncoding: String
    public var clusters: String
    public var splits: String
    public var metrics: String
    public var reflection: String

    /// The CSV contract's file names (CSV folders and notebooks).
    public static let files = Vocabulary(
        features: FileName.features, labelEncoding: FileName.labelEncoding, clusters: FileName.clusters,
        splits: FileName.splits, metrics: FileName.metrics, reflection: FileName.reflection)

    /// A Swift module's words: artefacts named by the functions that produced them.
    public static let swiftModule = Vocabulary(
        features: "the features table (from `features(of:)` and `cleanLocation(_:)`)",
        labelEncoding: "the label encoding (from `encodeLabels(_:)`)",
        clusters: "the clusters (from `clusters(similarity:threshold:)`)",
        splits: "the splits (from `clusteredSplit` and `randomSplit`)",
        metrics: "the figures (`accuracy(truth:predicted:)` on Belay's predictions)",
        reflection: "the reflection")

    /// The words for a submission of `kind` (`swift`, `csv`, `notebook`, ...).
    public static func of(kind: String) -> Vocabulary { kind == "swift" ? .swiftModule : .files }

    /// The rubric with each check title in these words (the rubric's titles name the CSV files). Only the
    /// instructor's titles are reworded, once per grading, never a student's text or a tool's output.
    func wording(_ rubric: Rubric) -> Rubric {
        guard self != .files else { return rubric }
        let pairs = [
            (FileName.features, features), (FileName.labelEncoding, labelEncoding), (FileName.clusters, clusters),
            (FileName.splits, splits), (FileName.metrics, metrics), (FileName.reflection, reflection),
        ]
        return rubric.rewordingTitles(pairs)
    }
}
