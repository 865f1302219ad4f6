public import BelayLab
import BelayData
import BelayRoute
import Foundation
import Synchronization

// Reruns of a student's experiment with several common classifiers, and the statistical judgement of a reported
// accuracy against them.
//
// A student may use any common classifier; Belay cannot rerun them all, and the same classifier from another
// library (another solver, another seed) lands a little elsewhere on the same test set. So a reported accuracy is
// judged one-sidedly: it fails only when it lies above the upper confidence bound of the best rerun, where the
// bound is a Wilson interval for the student's own test-set size with z from the rubric. A lower figure always
// passes: the student's classifier may simply be worse than Belay's best.

/// A classifier Belay reruns on a student's split.
public enum RerunModel: String, Sendable, CaseIterable, Hashable {
    /// `make_pipeline(StandardScaler(), LogisticRegression())`: the course's own model.
    case standardizedLogistic = "logistic regression, standardized"
    /// `LogisticRegression()` on the raw features.
    case logistic = "logistic regression, unscaled"
    /// `make_pipeline(StandardScaler(), KNeighborsClassifier())`: 5 nearest neighbours, the model that profits
    /// most from a homolog in training.
    case nearestNeighbors = "5 nearest neighbours, standardized"
    /// Always the most common class of the training set: the floor.
    case majority = "majority class of the training set"

    /// The order in which a check that may stop early has the models fitted: first the quick model that is usually
    /// the most accurate on the embeddings (unscaled logistic regression, about 20 ms there) with the free majority
    /// floor, then the rest together. The course's own model is the slowest fit on the 256-wide embeddings by far
    /// (about 60 ms: on standardized columns the penalty is weak next to the data and it needs about 100 iterations,
    /// against about 20), and 5 nearest neighbours (about 10 ms) has trailed the unscaled fit on every split of the
    /// embedded data measured. A check stops after the first tier that decides its verdict, so a figure within the
    /// first tier's bound never waits for the others. Every model is in exactly one tier.
    public static let tiers: [[RerunModel]] = [[.logistic, .majority], [.standardizedLogistic, .nearestNeighbors]]
}

/// One rerun model's test accuracy.
public struct RerunAccuracy: Sendable, Equatable {
    /// The model.
    public var model: RerunModel
    /// Its accuracy on the split's test rows.
    public var accuracy: Double

    /// A model's accuracy.
    public init(model: RerunModel, accuracy: Double) {
        self.model = model
        self.accuracy = accuracy
    }
}

/// The accuracies of the models Belay fitted on one split (every model, or the tiers a check needed), and the best.
public struct Rerun: Sendable, Equatable {
    /// Accuracies in `RerunModel.allCases` order: every model, or those of the tiers a check needed.
    public var accuracies: [RerunAccuracy]
    /// Training rows.
    public var trainCount: Int
    /// Test rows: the n of the accuracies.
    public var testCount: Int

    /// Accuracies (one per model, at least one) of a split with `trainCount` and `testCount` rows.
    public init(accuracies: [RerunAccuracy], trainCount: Int, testCount: Int) {
        precondition(!accuracies.isEmpty, "Rerun needs at least one model's accuracy")
        self.accuracies = accuracies
        self.trainCount = trainCount
        self.testCount = testCount
    }

    /// The most accurate model (ties: the earlier in `RerunModel.allCases`).
    public var best: RerunAccuracy {
        accuracies.reduce(accuracies[0]) { $1.accuracy > $0.accuracy ? $1 : $0 }
    }

    /// "0.814 (logistic regression, standardized)"-style list of every model fitted, best first.
    public var summary: String {
        accuracies.sorted { $0.accuracy > $1.accuracy }
            .map { "\(Route019Checks.fixed3($0.accuracy)) (\($0.model.rawValue))" }.joined(separator: ", ")
    }

    /// The models not fitted (a check stopped before their tier), in `RerunModel.allCases` order.
    public var skipped: [RerunModel] {
        RerunModel.allCases.filter { model in !accuracies.contains { $0.model == model } }
    }

    /// This rerun's accuracies and `other`'s (of the same split), in `RerunModel.allCases` order; where both have a
    /// model, this one's.
    func merged(with other: Rerun) -> Rerun {
        let all = accuracies + other.accuracies.filter { a in !accuracies.contains { $0.model == a.model } }
        let order = Dictionary(uniqueKeysWithValues: RerunModel.allCases.enumerated().map { ($1, $0) })
        return Rerun(accuracies: all.sorted { order[$0.model] ?? 0 < order[$1.model] ?? 0 }, trainCount: trainCount,
                     testCount: testCount)
    }
}

/// Trains each of `models` (default: every `RerunModel`) on the rows where `isTest` is false and scores it on the
/// others; the accuracies come in `RerunModel.allCases` order.
///
/// `features` is row-major `rows x columns`; labels lie in `0..<classCount` (a negative label marks a row to leave
/// out). Both sides need at least one row; with fewer than two training classes every model predicts the one class.
///
/// One `Standardizer` is fitted on the split's training rows and serves the standardized models. `warmStart`, a
/// model on standardized rows of the same columns and classes (the reference's fit of these features on its own
/// split), is where both logistic fits start: the standardized one as it is, the unscaled one carried to raw rows
/// (``LogisticModel/unstandardized(by:)``). The unscaled fit is solved in standardized coordinates
/// (``LogisticRegression/fitUnscaled(x:rows:columns:labels:classCount:warmStart:)``): the same objective and
/// optimum as a fit on the raw rows, which from zero would need thousands of iterations on the 21 features. A converged fit is the same optimum from any start; a warm-started
/// fit that does not converge is made again from zero (``LogisticRegression/fitPreferringWarmStart(x:rows:columns:labels:classCount:warmStart:)``),
/// so the accuracies do not depend on the warm start beyond the solver's tolerance.
/// - Complexity: two logistic-regression fits plus one k-NN pass, O(iterations x rows x columns x classCount).
public func rerunModels(features: [Double], rows: Int, columns: Int, labels: [Int], classCount: Int, isTest: [Bool],
                        warmStart: LogisticModel? = nil, models: [RerunModel] = RerunModel.allCases) -> Rerun
{
    let chosen = RerunModel.allCases.filter(models.contains)
    precondition(!chosen.isEmpty, "rerunModels: no model asked for")
    precondition(features.count == rows * columns && labels.count == rows && isTest.count == rows,
                 "rerunModels: \(features.count) values, \(labels.count) labels, \(isTest.count) flags for \(rows) x \(columns)")
    var trainRows: [Double] = [], testRows: [Double] = [], trainLabels: [Int] = [], testLabels: [Int] = []
    for i in 0..<rows where labels[i] >= 0 && labels[i] < classCount {
        let row = features[(i * columns)..<((i + 1) * columns)]
        if isTest[i] {
            testRows.append(contentsOf: row)
            testLabels.append(labels[i])
        } else {
            trainRows.append(contentsOf: row)
            trainLabels.append(labels[i])
        }
    }
    let trainX = trainRows, testX = testRows, trainY = trainLabels, testY = testLabels
    let nTrain = trainY.count, nTest = testY.count
    guard nTrain > 0, nTest > 0 else {
        return Rerun(accuracies: chosen.map { RerunAccuracy(model: $0, accuracy: 0) }, trainCount: nTrain, testCount: nTest)
    }
    let warm = warmStart.flatMap { $0.columns == columns && $0.classCount == classCount ? $0 : nil }
    // The split's scaler serves the standardized models and carries a warm start to raw rows; the unscaled fit
    // standardizes on its own.
    let needsScaled = chosen.contains(.standardizedLogistic) || chosen.contains(.nearestNeighbors)
    let scaler = needsScaled || warm != nil ? Standardizer(fitting: trainX, rows: nTrain, columns: columns) : nil
    let scaledTrain = needsScaled ? scaler?.transform(trainX, rows: nTrain) ?? [] : []
    let scaledTest = needsScaled ? scaler?.transform(testX, rows: nTest) ?? [] : []
    @Sendable func score(_ model: RerunModel) -> Double {
        switch model {
        case .standardizedLogistic:
            let model = LogisticRegression().fitPreferringWarmStart(
                x: scaledTrain, rows: nTrain, columns: columns, labels: trainY, classCount: classCount, warmStart: warm)
            return accuracy(testY, model.predict(x: scaledTest, rows: nTest))
        case .logistic:
            let model = LogisticRegression().fitUnscaled(
                x: trainX, rows: nTrain, columns: columns, labels: trainY, classCount: classCount,
                warmStart: scaler.flatMap { warm?.unstandardized(by: $0) })
            return accuracy(testY, model.predict(x: testX, rows: nTest))
        case .nearestNeighbors:
            return accuracy(
                testY,
                nearestNeighborPredict(
                    trainX: scaledTrain, trainLabels: trainY, queries: scaledTest, columns: columns,
                    classCount: classCount, k: 5))
        case .majority:
            return majorityBaseline(
                labels: trainY + testY, isTest: [Bool](repeating: false, count: nTrain) + [Bool](repeating: true, count: nTest),
                classCount: classCount)
        }
    }
    // In `RerunModel.allCases` order, so the slowest fit (the standardized one, when asked for) starts first.
    let scores = concurrentMap(chosen.count) { score(chosen[$0]) }
    return Rerun(
        accuracies: zip(chosen, scores).map { RerunAccuracy(model: $0, accuracy: $1) }, trainCount: nTrain, testCount: nTest)
}

/// A reported accuracy weighed against the upper confidence bound of Belay's best rerun.
public struct AccuracyJudgement: Sendable, Equatable {
    /// The student's figure.
    public var reported: Double
    /// Belay's reruns on the same split.
    public var rerun: Rerun
    /// The interval of the best rerun's accuracy on `rerun.testCount` proteins.
    public var interval: ProportionInterval

    /// Judges `reported` against `rerun` at `z` standard errors (Wilson interval, n = the rerun's test rows).
    public init(reported: Double, rerun: Rerun, z: Double) {
        self.reported = reported
        self.rerun = rerun
        self.interval = ConfidenceBounds.wilson(proportion: rerun.best.accuracy, count: rerun.testCount, z: z)
    }

    /// Whether the figure is credible: at most the upper bound. Lower figures always are (one-sided).
    public var isCredible: Bool { reported <= interval.upper + 1e-12 }

    /// The sentence that states the interval used.
    public var summary: String {
        let f = Route019Checks.fixed3
        return "You reported \(f(reported)) on \(rerun.testCount) test proteins. Belay's best rerun: "
            + "\(f(rerun.best.accuracy)) (\(rerun.best.model.rawValue)); \(Self.zText(interval.z))-sigma Wilson upper bound "
            + "\(f(interval.upper)) for n = \(rerun.testCount)."
    }

    /// "3" for 3.0, "2.5" for 2.5.
    static func zText(_ z: Double) -> String {
        z == z.rounded() && abs(z) < 1e6 ? String(Int(z)) : String(z)
    }
}

/// What a rerun was computed from, as a cache key: identical splits from different students share one fit.
enum RerunKey: Hashable, Sendable {
    /// Embeddings of `ids` (in order) with the reference labels, split by `isTest`.
    case embeddings(ids: [String], isTest: [Bool])
    /// A feature matrix and its labels, split by `isTest`.
    case features(values: [Double], columns: Int, labels: [Int], classCount: Int, isTest: [Bool])

    /// The key's content as a ``ResultStore`` key's parts (exact: doubles by their bits).
    var storeParts: [Data] {
        switch self {
        case .embeddings(let ids, let isTest):
            return [Data("embeddings".utf8), ResultStore.bytes(ids), ResultStore.bytes(isTest)]
        case .features(let values, let columns, let labels, let classCount, let isTest):
            return [Data("features".utf8), ResultStore.bytes(values.map(\.bitPattern)), ResultStore.bytes([columns, classCount]),
                    ResultStore.bytes(labels), ResultStore.bytes(isTest)]
        }
    }
}

extension Rerun {
    /// The rerun as a ``ResultStore`` entry (``StoredAccuracies`` of its models).
    var stored: Data {
        StoredAccuracies<RerunModel>(
            accuracies: accuracies.map(\.accuracy), models: accuracies.map(\.model), trainCount: trainCount,
            testCount: testCount
        ).data
    }

    /// A rerun of exactly `models` (in `RerunModel.allCases` order; default every model) read back from ``stored``;
    /// nil for anything else.
    init?(stored data: Data, models: [RerunModel] = RerunModel.allCases) {
        guard !models.isEmpty, let kept = StoredAccuracies<RerunModel>(data: data, models: models) else { return nil }
        self.init(
            accuracies: zip(kept.models, kept.accuracies).map { RerunAccuracy(model: $0, accuracy: $1) },
            trainCount: kept.trainCount, testCount: kept.testCount)
    }
}

/// A bounded, thread-safe store of reruns (a batch of students often hands in the same splits).
///
/// Each key's models are computed once, tier by tier (``RerunModel/tiers``): a second student asking for a split
/// that another is computing waits for that result instead of fitting the same models again beside it (students
/// are graded on their own threads, so the wait blocks nothing else).
///
/// What a request returns depends only on its key and its `until`, never on what other requests have computed:
/// the tiers up to the first that decides, even when later tiers are held. So a report is the same whichever
/// student was graded first.
final class RerunCache: Sendable {
    /// Most reruns kept; when full the store starts over (a batch moves on from one split to the next).
    static let capacity = 64
    /// One key's reruns, tier by tier (index in ``RerunModel/tiers``), computed under its lock by the first thread
    /// that asks.
    final class Slot: Sendable {
        let value = Mutex<[Int: Rerun]>([:])
    }
    private let store = Mutex<[RerunKey: Slot]>([:])

    init() {}

    /// The namespace of reruns in a ``ResultStore``: one entry per split and tier.
    static let namespace = "route019-rerun-2"

    /// The rerun for `key`: the models of the tiers up to the first after which `decided` holds (nil: every model).
    /// Each tier is computed once, by `compute` (the models to fit, in `RerunModel.allCases` order); with `decided`
    /// nil, the tiers not yet known are fitted together (in parallel). With a ``ResultStore`` (`kept`), a tier an
    /// earlier run stored under the same inputs (`inputs()`: everything the computation reads, beyond `key`) is read
    /// instead.
    func rerun(_ key: RerunKey, kept: ResultStore? = nil, inputs: () -> [Data], until decided: ((Rerun) -> Bool)? = nil,
               _ compute: ([RerunModel]) -> Rerun) -> Rerun {
        let slot = store.withLock { cache in
            if let slot = cache[key] { return slot }
            if cache.count >= Self.capacity { cache.removeAll() }
            let slot = Slot()
            cache[key] = slot
            return slot
        }
        let tiers = RerunModel.tiers
        return slot.value.withLock { held in
            // The split's inputs are hashed once, and only when a tier is not held (for the features, about
            // 300 kB); each tier's entry is keyed by that digest and the tier's models.
            var split: Data?
            func entry(_ t: Int) -> String? {
                guard let kept else { return nil }
                let digest = split ?? Data(kept.key(namespace: Self.namespace, key.storeParts + inputs()).utf8)
                split = digest
                return kept.key(namespace: Self.namespace, [digest, ResultStore.bytes(tiers[t].map(\.rawValue))])
            }
            /// Tier `t` as held, else as kept (then held), else nil.
            func known(_ t: Int) -> Rerun? {
                if let rerun = held[t] { return rerun }
                guard let kept, let entry = entry(t), let data = kept.value(namespace: Self.namespace, key: entry),
                      let rerun = Rerun(stored: data, models: RerunModel.allCases.filter(tiers[t].contains))
                else { return nil }
                held[t] = rerun
                return rerun
            }
            /// Fits the tiers `wanted` together, holds and keeps each.
            func fit(_ wanted: [Int]) {
                let models = RerunModel.allCases.filter { m in wanted.contains { tiers[$0].contains(m) } }
                let all = compute(models)
                for t in wanted {
                    let accuracies = all.accuracies.filter { tiers[t].contains($0.model) }
                    guard !accuracies.isEmpty else { continue }
                    let rerun = Rerun(accuracies: accuracies, trainCount: all.trainCount, testCount: all.testCount)
                    held[t] = rerun
                    if let kept, let entry = entry(t) { kept.store(rerun.stored, namespace: Self.namespace, key: entry) }
                }
            }
            if decided == nil {
                let missing = tiers.indices.filter { known($0) == nil }
                if !missing.isEmpty { fit(missing) }
            }
            var result: Rerun?
            for t in tiers.indices {
                if known(t) == nil { fit([t]) }
                guard let tier = held[t] else { continue }
                result = result.map { $0.merged(with: tier) } ?? tier
                if let decided, let result, decided(result) { break }
            }
            return result ?? compute(RerunModel.allCases)
        }
    }

    /// Number of reruns held (for tests).
    var count: Int { store.withLock { $0.count } }

    /// Forgets the reruns held in memory (for tests: the next run's view of a ``ResultStore``).
    func forgetHeld() { store.withLock { $0.removeAll() } }
}

/// What the reruns of students' experiments reuse.
///
/// Sharing never changes a grade: a shared fit is the fit of the same numbers. Warm starts are off by default,
/// because on the real data they do not meet that bar: a warm-started fit stops within the solver's tolerance
/// (1e-5 on the conditioned gradient, about 1e-7 from the minimum) of the optimum, but at another point than the cold
/// fit, and on 2 of 14 reruns of the embedded data (the 21 and 22 features on 3 random splits, the embeddings on 4
/// random and 4 clustered ones) one test protein of about 330 sits close enough to a class boundary to flip, so a
/// printed accuracy moves by 0.003; over those 14 fits they save 15% of the iterations (732 instead of 867).
/// (`RerunReuseTests` holds every warm rerun within two test proteins of the cold one.)
public struct RerunReuse: Sendable, Equatable {
    /// Start every rerun fit from the reference's model of the same features (changes printed accuracies by a test
    /// protein or two; off by default).
    public var warmStart: Bool
    /// Share reruns between students whose splits (and features and labels) are identical.
    public var sharing: Bool

    public init(warmStart: Bool, sharing: Bool) {
        self.warmStart = warmStart
        self.sharing = sharing
    }

    /// What grading uses: fits shared between identical splits, every fit from zero.
    public static let standard = RerunReuse(warmStart: false, sharing: true)
    /// Both.
    public static let all = RerunReuse(warmStart: true, sharing: true)
    /// Neither: every rerun fitted from zero, every time.
    public static let none = RerunReuse(warmStart: false, sharing: false)
}

/// The reference's four fitted models, on standardized rows (`trainAndScoreModel`), with the classes they score.
public struct ReferenceModels: Sendable {
    /// Class names, in the models' class order.
    public var classes: [String]
    /// 21 features + encoded label (22 columns), the reference's random split.
    public var leakage: LogisticModel
    /// 21 features, the same split.
    public var baseline: LogisticModel
    /// Unit-normalized embeddings, random split.
    public var randomSplit: LogisticModel
    /// Unit-normalized embeddings, clustered split.
    public var clusteredSplit: LogisticModel

    /// `model` with its classes reordered as `names` (a student's class order; a name the reference does not know
    /// gets zero weights), or nil when no name is known.
    /// - Complexity: O(names x columns).
    public func model(_ model: LogisticModel, forClasses names: [String]) -> LogisticModel? {
        if names == classes { return model }
        let d = model.columns
        var out = LogisticModel(
            classCount: names.count, columns: d, weights: [Double](repeating: 0, count: names.count * d),
            intercepts: [Double](repeating: 0, count: names.count), iterations: 0, converged: true, gradientNorm: 0)
        var known = 0
        for (k, name) in names.enumerated() {
            guard let r = classes.firstIndex(of: name), model.intercepts[r].isFinite else { continue }
            known += 1
            for j in 0..<d { out.weights[k * d + j] = model.weights[r * d + j] }
            out.intercepts[k] = model.intercepts[r]
        }
        return known > 0 ? out : nil
    }
}

extension Route019Reference {
    /// Reruns the `RerunModel`s on the embeddings of `ids` with the reference's labels, split by `isTest` (cached
    /// by split): every model, or with `decided` the tiers (``RerunModel/tiers``) up to the first after which
    /// `decided` holds of the models fitted so far.
    ///
    /// The models see the embeddings as the file holds them (not row-normalized), as a student's classifier does.
    /// Ids without a reference label or an embedding are left out.
    /// - Complexity: that of `rerunModels` the first time for a split, O(ids) after.
    public func rerun(ids: [String], isTest: [Bool], until decided: ((Rerun) -> Bool)? = nil) -> Rerun {
        precondition(ids.count == isTest.count, "rerun: \(ids.count) ids, \(isTest.count) flags")
        let compute = { [self] (models: [RerunModel]) in
            var rows: [Int] = [], labels: [Int] = [], flags: [Bool] = []
            for (i, id) in ids.enumerated() {
                guard let row = datasetRowByID[id], let index = indexByID[id] else { continue }
                rows.append(row)
                labels.append(codes[index])
                flags.append(isTest[i])
            }
            let matrix = dataset.embeddings.subset(rows)
            // The reference's embedding model is fitted on unit-normalized rows; standardized, those columns and
            // the file's are nearly the same, so it is a close start for either split.
            return rerunModels(
                features: matrix.values.map(Double.init), rows: matrix.count, columns: matrix.dimension,
                labels: labels, classCount: encoder.classes.count, isTest: flags,
                warmStart: self.reuse.warmStart ? self.fittedModels.randomSplit : nil, models: models)
        }
        // Without sharing, a cache of this call's own: the same tiers, fitted afresh.
        let cache = reuse.sharing ? rerunCache : RerunCache()
        // Beyond the ids and the split, the fits read the data (by its hash), the reference's labels of those ids
        // and its classes, and whether fits start warm.
        return cache.rerun(.embeddings(ids: ids, isTest: isTest), kept: reuse.sharing ? keptStore : nil, inputs: { [self] in
            let labels = ids.map { id in indexByID[id].map { codes[$0] } ?? -1 }
            return [Data(dataset.sha256.utf8), ResultStore.bytes(labels), ResultStore.bytes(encoder.classes),
                    Data([reuse.warmStart ? 1 : 0])]
        }, until: decided, compute)
    }

    /// Reruns the `RerunModel`s on a feature matrix (a student's own features.csv), cached by its content and split:
    /// every model, or with `decided` the tiers up to the first that decides (as ``rerun(ids:isTest:until:)``).
    ///
    /// `classNames`, the class of each label code (the student's encoding), lets the fits start from the reference's
    /// model of the same columns (21 features, or 22 with the encoded label) in the student's class order.
    /// - Complexity: that of `rerunModels` the first time, O(values) after.
    public func rerun(features: [Double], columns: Int, labels: [Int], classCount: Int, isTest: [Bool],
                      classNames: [String]? = nil, until decided: ((Rerun) -> Bool)? = nil) -> Rerun {
        let compute = { [self] (models: [RerunModel]) in
            var warm: LogisticModel?
            if self.reuse.warmStart, let classNames, classNames.count == classCount {
                let own = columns == 22 ? self.fittedModels.leakage : columns == 21 ? self.fittedModels.baseline : nil
                warm = own.flatMap { self.fittedModels.model($0, forClasses: classNames) }
            }
            return rerunModels(
                features: features, rows: labels.count, columns: columns, labels: labels, classCount: classCount,
                isTest: isTest, warmStart: warm, models: models)
        }
        let cache = reuse.sharing ? rerunCache : RerunCache()
        // Beyond the matrix, labels and split, warm fits read the reference's models (of this data) and the classes.
        return cache.rerun(
            .features(values: features, columns: columns, labels: labels, classCount: classCount, isTest: isTest),
            kept: reuse.sharing ? keptStore : nil, inputs: { [self] in
                reuse.warmStart
                    ? [Data([1]), Data(dataset.sha256.utf8), ResultStore.bytes(classNames ?? [])]
                    : [Data([0])]
            }, until: decided, compute)
    }
}
