import Foundation
public import BelayLab
public import BelayData
import BelayRoute
import Synchronization

/// Settings of one reference run of the route.
public struct ReferenceOptions: Sendable, Equatable {
    /// Cosine threshold; `nil` takes the dataset's recommendation, else 0.8.
    public var threshold: Float?
    /// Share of proteins held out for testing.
    public var testFraction: Double
    /// Seed of every split.
    public var seed: UInt64
    /// How the clustered split picks clusters.
    public var clusteredSplitMode: ClusteredSplitMode

    public init(
        threshold: Float? = nil, testFraction: Double = 0.2, seed: UInt64 = 42,
        clusteredSplitMode: ClusteredSplitMode = .proteinFraction
    ) {
        self.threshold = threshold
        self.testFraction = testFraction
        self.seed = seed
        self.clusteredSplitMode = clusteredSplitMode
    }
}

/// The four accuracies of the route, with the scores behind them.
public struct RouteFigures: Sendable {
    /// Exercise 1: the 21 features plus the encoded label (leaked), random split.
    public var leakage: Scores
    /// The 21 hand-made features alone, same random split.
    public var baseline: Scores
    /// Majority-class accuracy on that split's test set.
    public var majority: Double
    /// Exercise 3: embeddings, random split.
    public var randomSplit: Scores
    /// Exercise 3: embeddings, clustered split.
    public var clusteredSplit: Scores
}

/// Every reference answer of Route 019 for one dataset, computed once and shared by all the checks of a batch.
///
/// Construction runs the whole route: cleaning, features, encoding, alignment, clustering at the chosen threshold,
/// both splits and the four experiments. Clusterings at other thresholds (a student's own) are computed on
/// demand and cached.
public final class Route019Reference: Sendable {
    public let dataset: CourseDataset
    public let options: ReferenceOptions
    /// The threshold this run used.
    public let threshold: Float

    /// Ids of the proteins with a reference label, in sheet order (first occurrence of a duplicated id).
    public let ids: [String]
    /// Their reference labels (see `labelReference`).
    public let labels: [String]
    /// Their features (Exercise 0).
    public let features: [SequenceFeatures]
    /// Label encoding (classes sorted, codes 0…k-1).
    public let encoder: LabelEncoder
    /// `labels` encoded.
    public let codes: [Int]
    /// Index into `ids` by id.
    public let indexByID: [String: Int]
    /// Every id of the sheet, labelled or not.
    public let sheetIDs: Set<String>
    /// Sheet proteins the reference drops, with why ("blank in the sheet's location column",
    /// "ambiguous: membrane, secreted", "no location that maps to a class").
    public let dropped: [(id: String, reason: String)]
    /// Counts of the reference labels and of Belay's cleaning.
    public let cleaning: CleaningSummary
    /// Both label sources of every sheet protein: the reference (the sheet's location column when it has one,
    /// else Belay's cleaning of the text) and the other, with the rows where they disagree.
    public let labelReference: LabelReference

    /// Ids (of `ids`) that have an embedding, in `ids` order: the proteins of Exercise 3.
    public let alignedIDs: [String]
    /// Position in `ids` of each aligned protein.
    public let alignedRows: [Int]
    /// Clean-labelled ids with no embedding in the file.
    public let missingEmbeddings: [String]
    /// Embeddings of the aligned proteins, unit-normalized rows.
    public let embeddings: EmbeddingMatrix
    /// Index into `alignedIDs` by id.
    public let alignedIndexByID: [String: Int]
    /// Every id that has an embedding among the sheet's proteins (labelled or not).
    public let embeddedSheetIDs: Set<String>
    /// Row of `dataset.embeddings` by id.
    public let datasetRowByID: [String: Int]
    /// Every sheet protein's sequence by id (first row of a repeated id).
    public let sequenceByID: [String: String]

    /// Connected components at `threshold` over the aligned proteins.
    public let clustering: Clustering
    /// Random split over the aligned proteins (`true` = test).
    public let randomIsTest: [Bool]
    /// Clustered split over the aligned proteins.
    public let clusteredIsTest: [Bool]
    /// Random split over all clean-labelled proteins (Exercise 1 and the 21-feature baseline).
    public let featureIsTest: [Bool]
    /// The four experiments.
    public let figures: RouteFigures

    let cache: Mutex<[Float: Clustering]>
    /// The aligned proteins' single linkage (one similarity pass, built with the reference), from which
    /// `clustering(at:)` derives any threshold's components; nil when the set is too large to keep its pairs.
    let linkage: SingleLinkage?
    /// Components of students' own protein sets (see `components(for:threshold:)`).
    let subsetCache = OnceCache<ComponentsKey, [Int]>(capacity: 64)
    /// Homology audits of students' splits (see `audit(ids:isTest:threshold:)`).
    let auditCache = OnceCache<AuditKey, HomologyAudit>(capacity: 32)
    /// Reruns of students' experiments, by split (see `rerun(ids:isTest:)` in Reference+Reruns.swift).
    let rerunCache = RerunCache()
    /// Where results are kept between runs, when grading keeps them (see ``keep(in:)``).
    let resultStore = Mutex<ResultStore?>(nil)
    /// What reruns reuse: warm starts from the reference's fits, fits shared between identical splits.
    public let reuse: RerunReuse
    /// The reference's four fitted models (on standardized rows), where reruns of the same features start.
    public let fittedModels: ReferenceModels

    /// Runs the route on `dataset`. `reuse` says what the reruns of students' experiments may reuse (shared fits,
    /// no warm starts by default: see ``RerunReuse``).
    public init(dataset: CourseDataset, options: ReferenceOptions = .init(), reuse: RerunReuse = .standard) {
        self.dataset = dataset
        self.options = options
        self.reuse = reuse
        let threshold = dataset.threshold(override: options.threshold)
        self.threshold = threshold

        // Exercise 0: reference labels (the sheet's location column when it has one, else Belay's cleaning of the
        // text; both kept per protein), then features.
        let cleaner = LabelCleaner()
        var ids: [String] = [], labels: [String] = [], features: [SequenceFeatures] = []
        var dropped: [(id: String, reason: String)] = []
        var seen = Set<String>()
        // Cleaning and counting are independent per protein: done on all cores, then assembled in sheet order.
        let proteins = dataset.proteins
        let source = dataset.locationSource
        let chunk = 256
        let computed = concurrentMap((proteins.count + chunk - 1) / chunk) { c in
            ((c * chunk)..<min(proteins.count, (c + 1) * chunk)).map { i -> (LabelOutcome, SequenceFeatures) in
                let p = proteins[i]
                let outcome =
                    source == .uniprot
                    ? cleaner.clean(uniprotLocation: p.locationText) : cleaner.clean(goTerms: p.locationText)
                return (outcome, sequenceFeatures(p.sequence))
            }
        }.flatMap { $0 }
        let labelReference = LabelReference(
            proteins: proteins, outcomes: computed.map(\.0), textSource: source, classes: cleaner.mapping.classes)
        self.labelReference = labelReference
        var summary = CleaningSummary(source: labelReference.source)
        for (i, protein) in proteins.enumerated() where seen.insert(protein.id).inserted {
            let proteinFeatures = computed[i].1
            switch computed[i].0 {
            case .label: summary.cleaningKept += 1
            case .ambiguous: summary.ambiguous += 1
            case .missing: summary.missing += 1
            }
            guard let entry = labelReference.entry(protein.id) else { continue }
            if let label = labelReference.referenceLabel(entry) {
                ids.append(protein.id)
                labels.append(label)
                features.append(proteinFeatures)
                summary.kept[label, default: 0] += 1
            } else {
                dropped.append((protein.id, labelReference.dropReason(entry)))
                if labelReference.usesColumn { summary.dropped += 1 }
            }
        }
        if labelReference.usesColumn {
            summary.disagreements = labelReference.disagreements.count
            summary.outsideClasses = labelReference.outsideClasses.count
        }
        summary.duplicateRows = dataset.proteins.count - seen.count
        self.ids = ids
        self.labels = labels
        self.features = features
        self.dropped = dropped
        self.cleaning = summary
        self.sheetIDs = seen
        var indexByID: [String: Int] = [:]
        for (i, id) in ids.enumerated() { indexByID[id] = i }
        self.indexByID = indexByID
        let encoder = LabelEncoder(labels: labels)
        self.encoder = encoder
        let codes = labels.map { encoder.encode($0) ?? -1 }
        self.codes = codes

        // Exercise 3: align with the embeddings.
        let alignment = alignIDs(labelIDs: ids, embeddingIDs: dataset.embeddingIDs)
        self.alignedRows = alignment.kept
        self.alignedIDs = alignment.kept.map { ids[$0] }
        self.missingEmbeddings = alignment.missing
        let aligned = dataset.embeddings.subset(alignment.embeddingRows).normalizedRows()
        self.embeddings = aligned
        var alignedIndex: [String: Int] = [:]
        for (i, id) in alignedIDs.enumerated() { alignedIndex[id] = i }
        self.alignedIndexByID = alignedIndex
        self.embeddedSheetIDs = Set(dataset.embeddingIDs)
        var rowByID: [String: Int] = [:]
        for (i, id) in dataset.embeddingIDs.enumerated() where rowByID[id] == nil { rowByID[id] = i }
        self.datasetRowByID = rowByID
        var sequences: [String: String] = [:]
        for p in dataset.proteins where sequences[p.id] == nil { sequences[p.id] = p.sequence }
        self.sequenceByID = sequences
        // One similarity pass serves every threshold asked later (students' own, their ±slack): each is O(n).
        let linkage = SingleLinkage(aligned)
        self.linkage = linkage
        let clustering = linkage?.clustering(threshold: threshold) ?? thresholdClusters(aligned, threshold: threshold)
        self.clustering = clustering
        self.cache = Mutex([threshold: clustering])

        let alignedCodes = alignment.kept.map { codes[$0] }
        let randomIsTest = randomSplit(count: aligned.count, testFraction: options.testFraction, seed: options.seed)
        let clusteredIsTest = clusteredSplit(
            clusterLabels: clustering.labels, testFraction: options.testFraction, seed: options.seed,
            mode: options.clusteredSplitMode)
        self.randomIsTest = randomIsTest
        self.clusteredIsTest = clusteredIsTest
        let featureIsTest = randomSplit(count: ids.count, testFraction: options.testFraction, seed: options.seed)
        self.featureIsTest = featureIsTest

        let k = encoder.classes.count
        let base = Route019Reference.featureMatrix(features, leakedCodes: nil)
        let leaked = Route019Reference.featureMatrix(features, leakedCodes: codes)
        let embeddingValues = aligned.values.map(Double.init)
        let n = ids.count
        // The four experiments are independent: fit them on all cores (BLAS runs one thread per call).
        let experiments: [@Sendable () -> (scores: Scores, model: LogisticModel)] = [
            { trainAndScoreModel(features: leaked, rows: n, columns: 22, labels: codes, classCount: k, isTest: featureIsTest) },
            { trainAndScoreModel(features: base, rows: n, columns: 21, labels: codes, classCount: k, isTest: featureIsTest) },
            {
                trainAndScoreModel(
                    features: embeddingValues, rows: aligned.count, columns: aligned.dimension, labels: alignedCodes,
                    classCount: k, isTest: randomIsTest)
            },
            {
                trainAndScoreModel(
                    features: embeddingValues, rows: aligned.count, columns: aligned.dimension, labels: alignedCodes,
                    classCount: k, isTest: clusteredIsTest)
            },
        ]
        let fitted = concurrentMap(experiments.count) { experiments[$0]() }
        let s = fitted.map(\.scores)
        self.figures = RouteFigures(
            leakage: s[0], baseline: s[1], majority: majorityBaseline(labels: codes, isTest: featureIsTest, classCount: k),
            randomSplit: s[2], clusteredSplit: s[3])
        self.fittedModels = ReferenceModels(
            classes: encoder.classes, leakage: fitted[0].model, baseline: fitted[1].model, randomSplit: fitted[2].model,
            clusteredSplit: fitted[3].model)
    }

    /// Row-major features: 21 columns, plus the encoded label as a 22nd when `leakedCodes` is given.
    public static func featureMatrix(_ features: [SequenceFeatures], leakedCodes: [Int]?) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(features.count * 22)
        for (i, f) in features.enumerated() {
            out.append(contentsOf: f.asDoubles)
            if let leakedCodes { out.append(Double(leakedCodes[i])) }
        }
        return out
    }

    /// Connected components of the aligned proteins at `threshold` (cached), exactly `thresholdClusters`'s.
    ///
    /// Derived from the reference's single linkage (not kept in the result store: deriving is cheaper than reading).
    /// Only a set too large for it is clustered afresh (and kept), in blocks so memory stays O(n · d).
    /// - Complexity: O(n) the first time for a threshold (O(n² · d) for a set too large for the linkage).
    public func clustering(at threshold: Float) -> Clustering {
        if let hit = cache.withLock({ $0[threshold] }) { return hit }
        let computed = linkage?.clustering(threshold: threshold) ?? keptClustering(at: threshold)
        cache.withLock { cache in
            // Students' thresholds vary; a batch of them must not grow this without bound (13 kB each here).
            if cache.count >= 256 { cache.removeAll() }
            cache[threshold] = computed
        }
        return computed
    }

    /// A set too large for the single linkage: one blocked pass at `threshold`, kept in the result store.
    private func keptClustering(at threshold: Float) -> Clustering {
        let count = embeddings.count
        return kept(
            "route019-clustering-1", [ResultStore.bytes([threshold.bitPattern])],
            encode: { ResultStore.bytes([$0.edgeCount] + $0.labels) },
            decode: { data in
                guard let values = ResultStore.integers(data, as: Int.self), values.count == count + 1,
                      values.dropFirst().allSatisfy({ $0 >= 0 && $0 < count })
                else { return nil }
                return Clustering(canonicalLabels: Array(values.dropFirst()), edgeCount: values[0])
            }
        ) { thresholdClusters(embeddings, threshold: threshold) }
    }

    /// The aligned proteins' encoded labels.
    public var alignedCodes: [Int] { alignedRows.map { codes[$0] } }
}

/// Counts of the reference labels, and of Belay's cleaning next to them.
public struct CleaningSummary: Sendable, Equatable {
    /// Where the reference labels come from.
    public var source: LabelReferenceSource = .textCleaning(.uniprot)
    /// Proteins with a reference label, per class.
    public var kept: [String: Int] = [:]
    /// Belay's cleaning: proteins it labels.
    public var cleaningKept = 0
    /// Belay's cleaning: dropped because their terms map to two or more classes.
    public var ambiguous = 0
    /// Belay's cleaning: dropped because nothing in their text maps to a class (including blanks).
    public var missing = 0
    /// With the location column as reference: proteins it drops (blank, or a value outside the classes).
    public var dropped = 0
    /// With the location column as reference: its values outside the classes (reported, and dropped).
    public var outsideClasses = 0
    /// With the location column as reference: rows where it and Belay's cleaning disagree.
    public var disagreements = 0
    /// Rows whose id repeats an earlier row (the first is used).
    public var duplicateRows = 0
    /// Total kept.
    public var keptCount: Int { kept.values.reduce(0, +) }
}

/// A protein set and a threshold, as a cache key.
struct ComponentsKey: Hashable, Sendable {
    var ids: [String]
    var threshold: Float
}

/// A split of a protein set, as a cache key.
struct AuditKey: Hashable, Sendable {
    var ids: [String]
    var isTest: [Bool]
}
