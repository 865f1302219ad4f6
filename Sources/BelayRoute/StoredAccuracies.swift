public import Foundation

/// Accuracies of a route's rerun models on one split, as a ``ResultStore`` entry: one line per model (its name, then
/// the accuracy's bits in hex, so a double comes back exactly), then `counts`, the train and test sizes.
///
/// Generic over a route's enumeration of its models. An entry holds every model (the default) or the few a route
/// fitted together (`models`, in `Model.allCases` order); an entry naming another set or order of models than the
/// reader expects (another build's) reads as absent.
public struct StoredAccuracies<Model: RawRepresentable & CaseIterable & Equatable>: Sendable, Equatable
where Model.RawValue == String, Model: Sendable {
    /// The models, in `Model.allCases` order.
    public var models: [Model]
    /// Accuracy per model of `models`.
    public var accuracies: [Double]
    /// Training rows.
    public var trainCount: Int
    /// Test rows.
    public var testCount: Int

    /// One accuracy per model of `models` (default: every one of `Model.allCases`), in that order.
    public init(accuracies: [Double], models: [Model] = Array(Model.allCases), trainCount: Int, testCount: Int) {
        precondition(accuracies.count == models.count, "StoredAccuracies: \(accuracies.count) accuracies for \(models.count) models")
        self.models = models
        self.accuracies = accuracies
        self.trainCount = trainCount
        self.testCount = testCount
    }

    /// The entry's bytes.
    public var data: Data {
        var lines = zip(models, accuracies).map { "\($0.rawValue)\t\(String($1.bitPattern, radix: 16))" }
        lines.append("counts\t\(trainCount)\t\(testCount)")
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// An entry of exactly `expected` (default: every model) read back from ``data``; nil for anything else
    /// (another model list included).
    public init?(data: Data, models expected: [Model] = Array(Model.allCases)) {
        var models: [Model] = []
        var accuracies: [Double] = []
        var counts: (Int, Int)?
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 3, fields[0] == "counts", let train = Int(fields[1]), let test = Int(fields[2]) {
                counts = (train, test)
            } else if fields.count == 2, let model = Model(rawValue: String(fields[0])),
                      let bits = UInt64(fields[1], radix: 16) {
                models.append(model)
                accuracies.append(Double(bitPattern: bits))
            } else {
                return nil
            }
        }
        guard let counts, models == expected else { return nil }
        self.init(accuracies: accuracies, models: models, trainCount: counts.0, testCount: counts.1)
    }
}
