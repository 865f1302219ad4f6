import BelayGrading
import BelayRoute

/// The words a Route 020 report uses for the experiment's artefacts: the CSV contract's file names, or, for a Swift
/// module, the functions that produced the same artefacts. Checks take every artefact name from here
/// (``Route020Context/words``), so a report is written in its submission's words and nothing is rewritten after
/// grading.
public struct Route020Words: Sendable, Equatable {
    public var split: String
    public var noisyLabels: String
    public var curve: String
    public var setup: String
    public var reflection: String
    /// What a row of an artefact is called: "line" in a file, "item" in a function's answer.
    public var row: String

    /// The CSV contract's file names (CSV folders and notebooks).
    public static let files = Route020Words(
        split: Route020Submission.FileName.split, noisyLabels: Route020Submission.FileName.noisyLabels,
        curve: Route020Submission.FileName.curve, setup: Route020Submission.FileName.setup,
        reflection: Route020Submission.FileName.reflection, row: "line")

    /// A Swift module's words: artefacts named by the `GoodModelsExercises` functions that produced them.
    public static let swiftModule = Route020Words(
        split: "the split (from `split(classes:testFraction:seed:)`)",
        noisyLabels: "the noisy labels (from `noisyLabels(classes:isTest:classCount:rate:seed:)`)",
        curve: "the curve (Belay's model on your noisy labels, scored by `accuracy(truth:predicted:)`)",
        setup: "`features`", reflection: "the reflection", row: "item")

    /// The words for a submission of `kind` (`swift`, `csv`, `notebook`, ...).
    public static func of(kind: String) -> Route020Words { kind == "swift" ? .swiftModule : .files }

    /// The rubric with each check title in these words (the rubric's titles name the CSV files).
    func wording(_ rubric: Rubric) -> Rubric {
        guard self != .files else { return rubric }
        let files = Self.files
        return rubric.rewordingTitles([
            (files.noisyLabels, noisyLabels), (files.split, split), (files.curve, curve), (files.setup, setup),
            (files.reflection, reflection),
        ])
    }
}
