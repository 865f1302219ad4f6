public import Foundation
import BelayFormats
import BelayLab
import BelayData

extension Route019Reference {
    /// The names of the submission contract's files.
    public enum FileName {
        public static let features = "features.csv"
        public static let labelEncoding = "label_encoding.csv"
        public static let clusters = "clusters.csv"
        public static let splits = "splits.csv"
        public static let metrics = "metrics.csv"
        public static let reflection = "reflection.md"
    }

    /// Formats a figure for a CSV: up to 6 decimals, no exponent, no trailing zeros.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "nan" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var s = String(Int64((value * 1_000_000).rounded()))
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        while s.count < 7 { s = "0" + s }
        var fraction = String(s.suffix(6))
        let whole = String(s.dropLast(6))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The files of a complete, correct submission, as (name, contents).
    public func submissionFiles() -> [(name: String, contents: String)] {
        let aminoAcids = AminoAcids.standard.map(String.init)
        let featureRows: [[String]] = ids.indices.map { i in
            [ids[i], labels[i], String(features[i].length)] + features[i].counts.map(String.init)
        }
        let featuresCSV = CSVWriter.render(header: ["protein_id", "location", "length"] + aminoAcids, rows: featureRows)
        let encoding = CSVWriter.render(
            header: ["location", "code"],
            rows: encoder.classes.enumerated().map { [$0.element, String($0.offset)] })
        let clusters = CSVWriter.render(
            header: ["protein_id", "cluster_id"],
            rows: alignedIDs.indices.map { [alignedIDs[$0], String(clustering.labels[$0])] })
        let splits = CSVWriter.render(
            header: ["protein_id", "random_split", "clustered_split"],
            rows: alignedIDs.indices.map {
                [alignedIDs[$0], randomIsTest[$0] ? "test" : "train", clusteredIsTest[$0] ? "test" : "train"]
            })
        let metrics = CSVWriter.render(
            header: ["name", "value"],
            rows: metricRows().map { [$0.name, $0.value] })
        return [
            (FileName.features, featuresCSV), (FileName.labelEncoding, encoding), (FileName.clusters, clusters),
            (FileName.splits, splits), (FileName.metrics, metrics),
        ]
    }

    /// `metrics.csv`'s rows.
    public func metricRows() -> [(name: String, value: String)] {
        [
            ("leakage_accuracy", Self.format(figures.leakage.accuracy)),
            ("baseline_accuracy", Self.format(figures.baseline.accuracy)),
            ("random_split_accuracy", Self.format(figures.randomSplit.accuracy)),
            ("clustered_split_accuracy", Self.format(figures.clusteredSplit.accuracy)),
            ("similarity_threshold", Self.format(Double(threshold))),
            ("test_fraction", Self.format(options.testFraction)),
            ("n_clusters", String(clustering.stats.count)),
            ("seed", String(options.seed)),
        ]
    }

    /// Writes the submission files into `directory` (created if needed).
    public func writeSubmission(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in submissionFiles() {
            try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name), options: .atomic)
        }
    }

    /// A short plain-text table of the run's figures and cluster statistics.
    public func summaryTable() -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let s = clustering.stats
        var lines: [String] = []
        lines.append("Dataset: \(dataset.name)")
        let perClass = encoder.classes.map { "\($0) \(cleaning.kept[$0] ?? 0)" }.joined(separator: ", ")
        if labelReference.usesColumn {
            lines.append(
                "Proteins: \(dataset.proteins.count) in the sheet, \(ids.count) labelled by the sheet's location column ("
                    + perClass + "), \(cleaning.dropped - cleaning.outsideClasses) blank there"
                    + (cleaning.outsideClasses > 0 ? ", \(cleaning.outsideClasses) with a value outside the classes" : ""))
            lines.append(
                "Labels: reference is the sheet's location column; \(LabelReferenceSource.cleaningPhrase(dataset.locationSource)) "
                    + "labels \(cleaning.cleaningKept) (\(cleaning.ambiguous) ambiguous, \(cleaning.missing) without a location) and "
                    + "disagrees with the column on \(plural(cleaning.disagreements, "row"))")
        } else {
            lines.append(
                "Proteins: \(dataset.proteins.count) in the sheet, \(ids.count) with a clean label (" + perClass
                    + "), \(cleaning.ambiguous) ambiguous, \(cleaning.missing) without a location")
            lines.append("Labels: the sheet has no location column; reference is \(labelReference.source.phrase)")
        }
        lines.append(
            "Embeddings: \(dataset.embeddingFileCount) vectors of width \(dataset.embeddings.dimension); "
                + "\(alignedIDs.count) labelled proteins aligned, \(missingEmbeddings.count) without an embedding")
        let origin = options.threshold != nil ? "--threshold" : (dataset.recommendedThreshold != nil ? "the dataset's recommendation" : "the route's default")
        lines.append(
            "Clusters at cosine > \(Self.format(Double(threshold))) (from \(origin)): \(s.count) clusters, largest \(s.largest) "
                + "(\(Self.format((s.largestShare * 1000).rounded() / 10))% of proteins), \(s.singletons) singletons")
        let testShare = Double(clusteredIsTest.filter { $0 }.count) / Double(max(1, clusteredIsTest.count))
        lines.append(
            "Splits: seed \(options.seed), test fraction \(Self.format(options.testFraction)); clustered test set holds "
                + "\(Self.format((testShare * 1000).rounded() / 1000)) of proteins")
        lines.append("")
        func row(_ name: String, _ s: Scores) -> String {
            name.padding(toLength: 40, withPad: " ", startingAt: 0)
                + [s.accuracy, s.balancedAccuracy, s.macroF1].map { String(format: "%9.3f", $0) }.joined()
                + String(format: "%8d", s.testCount)
        }
        lines.append("experiment".padding(toLength: 40, withPad: " ", startingAt: 0) + " accuracy  bal.acc macro-F1    test")
        lines.append(row("(a) 21 features + encoded label (leak)", figures.leakage))
        lines.append(row("(b) 21 features", figures.baseline))
        lines.append(row("(c) embeddings, random split", figures.randomSplit))
        lines.append(row("(c) embeddings, clustered split", figures.clusteredSplit))
        lines.append(String(format: "majority class on the random test set: %.3f", figures.majority))
        return lines.joined(separator: "\n")
    }
}
