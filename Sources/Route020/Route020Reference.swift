public import BelayData
import BelayLab
public import BelayRoute
import Synchronization
import Foundation

/// The features a student may train on: the route accepts either, as `setup.csv` declares.
public enum FeatureSet: String, Sendable, CaseIterable {
    /// The 21 hand-made features of Route 019: length and the 20 amino-acid counts.
    case handMade = "hand-made"
    /// The protein-language-model embeddings of the course's HDF5 file, as the file holds them.
    case embeddings

    /// How reports name it.
    public var phrase: String {
        switch self {
        case .handMade: return "the 21 hand-made features (length + 20 amino-acid counts)"
        case .embeddings: return "the protein embeddings"
        }
    }

    /// The feature set a student's word names (`hand-made`, `handmade`, `21 features`, `aa counts`;
    /// `embeddings`, `embedding`, `unirep`, `plm`), or `nil`.
    public static func named(_ word: String) -> FeatureSet? {
        let w = word.lowercased().filter { $0.isLetter || $0.isNumber }
        if w.isEmpty { return nil }
        if w.hasPrefix("embed") || w.hasPrefix("unirep") || w == "plm" || w.hasPrefix("proteinlanguage") {
            return .embeddings
        }
        if w.hasPrefix("hand") || w.hasPrefix("21") || w.hasPrefix("aa") || w.hasPrefix("aminoacid")
            || w.hasPrefix("composition") || w == "features" || w == "sequencefeatures"
        {
            return .handMade
        }
        return nil
    }
}

/// Every reference answer of Route 020 for one dataset, computed once and shared by all the checks of a batch.
///
/// The proteins are the sheet's cleaned ones (the `location` column when the sheet has one, else Belay's cleaning:
/// ``LabelReference``), with their features in both sets. Reruns of a student's experiment are computed on demand.
public final class Route020Reference: Sendable {
    /// Where curve reruns are kept between runs, when grading keeps them (see ``keep(in:)``).
    let keptStore = Mutex<ResultStore?>(nil)
    /// The course data.
    public let dataset: CourseDataset
    /// Both label sources of every sheet protein; the reference labels come from here.
    public let labelReference: LabelReference
    /// The cleaned proteins (those with a reference label), in sheet order, each once.
    public let ids: [String]
    /// Their reference labels.
    public let labels: [String]
    /// The classes, sorted (codes are indices).
    public let classes: [String]
    /// `labels` encoded as indices into `classes`.
    public let codes: [Int]
    /// Position in `ids` by id.
    public let indexByID: [String: Int]
    /// Every id of the sheet, cleaned or not.
    public let sheetIDs: Set<String>
    /// The 21 hand-made features of `ids`, row-major.
    public let handMade: [Double]
    /// Row of `dataset.embeddings` of each of `ids` (`nil`: no embedding in the file).
    public let embeddingRow: [Int?]

    /// Why these data cannot be graded against, or `nil` (see ``LabelReference/integrityProblem``).
    public var integrityProblem: String? {
        if let problem = labelReference.integrityProblem { return problem }
        if classes.count < 2 { return "the sheet labels fewer than two classes, so there is nothing to flip a label to" }
        return nil
    }

    /// Prepares the reference of `dataset`.
    /// - Complexity: O(sheet rows x sequence length).
    public init(dataset: CourseDataset) {
        self.dataset = dataset
        let reference = LabelReference(dataset: dataset)
        self.labelReference = reference
        var ids: [String] = [], labels: [String] = [], sequences: [String] = []
        var seen = Set<String>()
        for protein in dataset.proteins where seen.insert(protein.id).inserted {
            guard let entry = reference.entry(protein.id), let label = reference.referenceLabel(entry) else { continue }
            ids.append(protein.id)
            labels.append(label)
            sequences.append(protein.sequence)
        }
        self.sheetIDs = seen
        self.ids = ids
        self.labels = labels
        let classes = Array(Set(labels)).sorted()
        self.classes = classes
        let codeOf = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        self.codes = labels.map { codeOf[$0]! }
        self.indexByID = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.handMade = featureMatrix(sequences)
        var rowByID: [String: Int] = [:]
        for (i, id) in dataset.embeddingIDs.enumerated() where rowByID[id] == nil { rowByID[id] = i }
        self.embeddingRow = ids.map { rowByID[$0] }
    }

    /// The code of a class name, if it is one of `classes`.
    public func code(of label: String) -> Int? { classes.firstIndex(of: label) }

    /// The features of `ids[row]` in `set` (`nil`: no embedding).
    /// - Complexity: O(columns).
    public func features(_ set: FeatureSet, row: Int) -> ArraySlice<Double>? {
        switch set {
        case .handMade:
            return handMade[(row * 21)..<((row + 1) * 21)]
        case .embeddings:
            guard let r = embeddingRow[row] else { return nil }
            return ArraySlice(dataset.embeddings.row(r).map(Double.init))
        }
    }

    /// The width of a feature set.
    public func columns(_ set: FeatureSet) -> Int {
        set == .handMade ? 21 : dataset.embeddings.dimension
    }

    /// Retrains every ``CurveRerunModel`` on the student's training labels and scores it on the clean test labels.
    ///
    /// `rows` are indices into `ids`, `trainCodes[i]` the student's (noisy) code of `rows[i]` when it is a training
    /// row (ignored for test rows), `isTest[i]` its side. Test rows are scored against the reference labels. Rows
    /// without features in `set` are left out (the rerun says how many).
    /// - Complexity: two logistic-regression fits and one k-NN pass on the student's split.
    public func rerun(set: FeatureSet, rows: [Int], trainCodes: [Int], isTest: [Bool]) -> CurveRerun {
        precondition(rows.count == trainCodes.count && rows.count == isTest.count, "rerun: lengths differ")
        let columns = columns(set)
        var x: [Double] = [], y: [Int] = [], flags: [Bool] = []
        var skipped = 0
        for (i, row) in rows.enumerated() {
            guard let f = features(set, row: row) else {
                skipped += 1
                continue
            }
            x.append(contentsOf: f)
            y.append(isTest[i] ? codes[row] : trainCodes[i])
            flags.append(isTest[i])
        }
        let fit = { rerunCurveModels(features: x, columns: columns, labels: y, classCount: self.classes.count, isTest: flags) }
        // A rerun an earlier run kept for the same inputs (the data, the set, the rows, their labels and sides) is
        // read instead of refitted: the same numbers.
        var result = ResultStore.value(
            in: keptStore.withLock { $0 }, namespace: Self.rerunNamespace,
            parts: [Data(dataset.sha256.utf8), Data(set.rawValue.utf8), ResultStore.bytes(rows), ResultStore.bytes(y),
                    ResultStore.bytes(flags), ResultStore.bytes(classes)],
            encode: \.stored, decode: CurveRerun.init(stored:), compute: fit)
        result.skipped = skipped
        return result
    }

    /// The namespace of curve reruns in a ``ResultStore``.
    static let rerunNamespace = "route020-rerun-1"

    /// Keeps curve reruns in `store` between runs as well (nil: none kept).
    public func keep(in store: ResultStore?) { keptStore.withLock { $0 = store } }
}
