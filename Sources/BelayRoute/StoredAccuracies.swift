public import Foundation

/// Accuracies of a route's rerun models on one split, as a ``ResultStore`` entry: one line per model (its name, then
/// the accuracy's bits in hex, so a double comes back exactly), then `counts`, the train and test sizes.
///
/// Generic over a route's enumeration of its models: an entry naming another set or order of models (another
/// build's) reads as absent.
public struct StoredAccuracies<Model: RawRepresentable & CaseIterable & Equatable>: Sendable, Equatable
where Model.RawValue == String, Model: Sendable {
    /// Accuracy per model, in `Model.allCases` order.
    public var accuracies: [Double]
    /// Training rows.
    public var trainCount: Int
    /// Test rows.
    public var testCount: Int

    /// One accuracy per model of `Model.allCases`, in that order.
    public init(accuracies: [Double], trainCount: Int, testCount: Int) {
        self.accuracies = accuracies
        self.trainCount = trainCount
        self.testCount = testCount
    }

    /// The entry's bytes.
    public var data: Data {
        var lines = zip(Model.allCases, accuracies).map { "\($0.rawValue)\t\(String($1.bitPattern, radix: 16))" }
        lines.append("counts\t\(trainCount)\t\(testCount)")
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// An entry read back from ``data``; nil for anything else (another model list included).
    public init?(data: Data) {
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
        guard let counts, models == Array(Model.allCases) else { return nil }
        self.init(accuracies: accuracies, trainCount: counts.0, testCount: counts.1)
    }
}
