import BelayGrading
import BelayTestSupport
import BelayLab
import Foundation
import Route019
import Testing

/// One broken submission per check: it must fail exactly that check, for the stated reason, and pass every other
/// check that does not depend on it (dependents are skipped, naming the failed prerequisite).
struct BrokenSubmission: Sendable, CustomTestStringConvertible {
    let check: String
    /// Words the failing message or details must contain (the "right reason").
    let reason: String
    /// Checks that necessarily fail with it (documented where they exist).
    let alsoFails: Set<String>
    let withNotebook: Bool
    let mutate: @Sendable (SubmissionFolder) throws -> Void

    init(_ check: String, reason: String, alsoFails: Set<String> = [], withNotebook: Bool = false,
         _ mutate: @escaping @Sendable (SubmissionFolder) throws -> Void) {
        self.check = check
        self.reason = reason
        self.alsoFails = alsoFails
        self.withNotebook = withNotebook
        self.mutate = mutate
    }

    var testDescription: String { check }
}

/// Ids of clean-labelled proteins in singleton clusters (removing them changes no other component).
func singletonIDs(_ count: Int) -> [String] {
    let r = sharedReference
    let sizes = Dictionary(grouping: r.clustering.labels, by: { $0 }).mapValues(\.count)
    return r.alignedIDs.indices.filter { sizes[r.clustering.labels[$0]] == 1 }.prefix(count).map { r.alignedIDs[$0] }
}

/// An id of a test-side protein of the clustered split that has a cluster mate.
func clusteredTestProteinWithMate() -> String? {
    let r = sharedReference
    let sizes = Dictionary(grouping: r.clustering.labels, by: { $0 }).mapValues(\.count)
    return r.alignedIDs.indices.first { r.clusteredIsTest[$0] && sizes[r.clustering.labels[$0]]! > 1 }
        .map { r.alignedIDs[$0] }
}

/// The reference classifier's accuracy on its own training proteins of one of the reference's splits: what a
/// student reports by mistake when scoring the model on the data it was fitted to.
func referenceTrainingAccuracy(clustered: Bool) -> Double {
    let r = sharedReference
    let isTrain = (clustered ? r.clusteredIsTest : r.randomIsTest).map { !$0 }
    let d = r.embeddings.dimension
    var x: [Double] = []
    var y: [Int] = []
    for (i, code) in r.alignedCodes.enumerated() where isTrain[i] {
        x.append(contentsOf: r.embeddings.row(i).map(Double.init))
        y.append(code)
    }
    let scaler = Standardizer(fitting: x, rows: y.count, columns: d)
    let scaled = scaler.transform(x, rows: y.count)
    let model = LogisticRegression().fit(x: scaled, rows: y.count, columns: d, labels: y, classCount: r.encoder.classes.count)
    return accuracy(y, model.predict(x: scaled, rows: y.count))
}

let brokenSubmissions: [BrokenSubmission] = [
    BrokenSubmission("ex0.features.readable", reason: "missing") { try $0.remove("features.csv") },
    BrokenSubmission("ex0.features.columns", reason: "NaN") { folder in
        try folder.editCSV("features.csv") { header, row, i in
            var row = row
            if i == 3 { row[header.firstIndex(of: "K")!] = "NaN" }
            return row
        }
    },
    BrokenSubmission("ex0.features.ids", reason: "more than once") { folder in
        let text = try folder.read("features.csv")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try folder.write("features.csv", text + lines[1] + "\n")
    },
    BrokenSubmission("ex0.features.values", reason: "expected") { folder in
        try folder.editCSV("features.csv") { header, row, i in
            var row = row
            if i % 50 == 0 { row[header.firstIndex(of: "length")!] = String(Int(row[header.firstIndex(of: "length")!])! + 1) }
            return row
        }
    },
    BrokenSubmission("ex0.labels.agree", reason: "agree") { folder in
        try folder.editCSV("features.csv") { header, row, i in
            var row = row
            let l = header.firstIndex(of: "location")!
            if i % 10 == 0 { row[l] = row[l] == "membrane" ? "cytoplasm" : "membrane" }
            return row
        }
    },
    BrokenSubmission("ex0.labels.coverage", reason: "covers only") { folder in
        // Drop 60 singleton proteins everywhere: their absence changes no cluster of the others.
        let drop = Set(singletonIDs(60))
        for file in ["features.csv", "clusters.csv", "splits.csv"] {
            try folder.editCSV(file) { _, row, _ in drop.contains(row[0]) ? nil : row }
        }
    },
    BrokenSubmission("ex1.encoding.bijective", reason: "used for both") { folder in
        try folder.write("label_encoding.csv", "location,code\ncytoplasm,0\nmembrane,1\nsecreted,1\n")
    },
    // The figure of the 21-feature baseline itself: nothing suspicious about it.
    BrokenSubmission("ex1.leakage.reported", reason: "not far above the 21-feature baseline") {
        try $0.setMetric("leakage_accuracy", String(sharedReference.figures.baseline.accuracy))
    },
    // With a consistent encoding the leaked label always predicts perfectly, so this check fails only when the
    // encoded label disagrees with the labels: here the location column names classes by their codes.
    BrokenSubmission(
        "ex1.leakage.confirmed", reason: "too few usable rows",
        alsoFails: ["ex0.labels.agree", "ex1.encoding.bijective"]
    ) { folder in
        try folder.editCSV("features.csv") { header, row, _ in
            var row = row
            let l = header.firstIndex(of: "location")!
            row[l] = ["cytoplasm": "0", "membrane": "1", "secreted": "2"][row[l]] ?? row[l]
            return row
        }
    },
    BrokenSubmission("ex3.metrics.readable", reason: "not a finite number") {
        try $0.setMetric("clustered_split_accuracy", "NaN")
    },
    BrokenSubmission("ex3.splits.readable", reason: "neither train nor test") { folder in
        try folder.editCSV("splits.csv") { _, row, i in i == 7 ? [row[0], "tset", row[2]] : row }
    },
    BrokenSubmission("ex3.alignment", reason: "Lost") { folder in
        let lost = Set(singletonIDs(3))
        for file in ["clusters.csv", "splits.csv"] {
            try folder.editCSV(file) { _, row, _ in lost.contains(row[0]) ? nil : row }
        }
    },
    BrokenSubmission("ex3.threshold.plausible", reason: "outside") { try $0.setMetric("similarity_threshold", "0.3") },
    BrokenSubmission("ex3.clusters.match", reason: "connected components") { folder in
        // Merge the two largest clusters into one label.
        let labels = sharedReference.clustering.labels
        let sizes = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count).sorted { $0.value > $1.value }
        let (a, b) = (String(sizes[0].key), String(sizes[1].key))
        try folder.editCSV("clusters.csv") { _, row, _ in row[1] == b ? [row[0], a] : row }
    },
    BrokenSubmission("ex3.clustered_split.no_shared_clusters", reason: "straddle") { folder in
        let moved = clusteredTestProteinWithMate()!
        try folder.editCSV("splits.csv") { _, row, _ in row[0] == moved ? [row[0], row[1], "train"] : row }
    },
    BrokenSubmission("ex3.random_split.shares_clusters", reason: "identical") { folder in
        try folder.editCSV("splits.csv") { _, row, _ in [row[0], row[2], row[2]] }
        // A figure measured on that (clustered) split, so that only the randomness is wrong.
        try folder.setMetric("random_split_accuracy", "0.5")
    },
    BrokenSubmission("ex3.splits.fraction", reason: "random test set") { folder in
        try folder.editCSV("splits.csv") { _, row, i in i % 4 == 0 ? [row[0], "test", row[2]] : row }
    },
    // A figure measured on the training set of the random split (the model scored on the proteins it learnt).
    BrokenSubmission("ex3.accuracy.random_rerun", reason: "well above") {
        try $0.setMetric("random_split_accuracy", String(referenceTrainingAccuracy(clustered: false)))
    },
    BrokenSubmission("ex3.accuracy.clustered_rerun", reason: "well above") {
        try $0.setMetric("clustered_split_accuracy", "0.99")
    },
    BrokenSubmission("nb.ran_in_order", reason: "fresh kernel", withNotebook: true) { folder in
        var nb = NotebookBuilder.clean(reflection: try folder.read("reflection.md"))
        nb.cells[0] = .code("import pandas as pd", count: 7)
        try folder.write("analysis.ipynb", try nb.json())
    },
    BrokenSubmission("nb.no_errors", reason: "KeyError", withNotebook: true) { folder in
        var nb = NotebookBuilder.clean(reflection: try folder.read("reflection.md"))
        nb.cells[1] = .code("df['x']", count: 2, error: ("KeyError", "'x'"))
        try folder.write("analysis.ipynb", try nb.json())
    },
    BrokenSubmission("nb.figures_agree", reason: "disagree", withNotebook: true) { folder in
        var nb = NotebookBuilder.clean(reflection: try folder.read("reflection.md"))
        nb.cells[2] = .code("print(results)", count: 3, stdout: "Clustered split accuracy: 0.512\n")
        try folder.write("analysis.ipynb", try nb.json())
    },
    BrokenSubmission("ex4.answers.present", reason: "Q3") { folder in
        let text = try folder.read("reflection.md").replacingOccurrences(of: "## Q3.", with: "Q3.")
        try folder.write("reflection.md", text)
    },
    BrokenSubmission("ex4.answers.length", reason: "sentences") { folder in
        let answers = Route019Submission.reflectionAnswers(markdown: try folder.read("reflection.md"))
        let long = answers[1]! + " It matters. It really matters. Leakage is common. Check for it. Always."
        try folder.write("reflection.md", "## Q1\n\(long)\n\n## Q2\n\(answers[2]!)\n\n## Q3\n\(answers[3]!)\n\n## Q4\n\(answers[4]!)\n")
    },
    BrokenSubmission("ex4.answers.concepts", reason: "little") { folder in
        let answers = Route019Submission.reflectionAnswers(markdown: try folder.read("reflection.md"))
        let offTopic = "I enjoyed this exercise a lot. The plots looked nice and the code ran quickly."
        try folder.write("reflection.md", "## Q1\n\(answers[1]!)\n\n## Q2\n\(offTopic)\n\n## Q3\n\(answers[3]!)\n\n## Q4\n\(answers[4]!)\n")
    },
    BrokenSubmission("ex4.answers.original", reason: "nearly the same") { folder in
        let answers = Route019Submission.reflectionAnswers(markdown: try folder.read("reflection.md"))
        try folder.write("reflection.md", "## Q1\n\(answers[1]!)\n\n## Q2\n\(answers[4]!)\n\n## Q3\n\(answers[3]!)\n\n## Q4\n\(answers[4]!)\n")
    },
]

@Suite("Route 019 checks")
struct CheckCatalogTests {
    @Test func referenceSolutionScoresFullMarks() async throws {
        let report = await grade(SubmissionFolder(url: repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline")))
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message)" })")
        #expect(report.pointsEarned == report.pointsPossible)
        #expect(report.pointsPossible > 30)
    }

    @Test func referenceSolutionWithNotebookScoresFullMarks() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        try folder.write("analysis.ipynb", try NotebookBuilder.clean(reflection: try folder.read("reflection.md")).json())
        try folder.remove("reflection.md")
        let report = await grade(folder)
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(notPassed.map { "\($0.id): \($0.message)" })")
        #expect(report.result("nb.ran_in_order")?.outcome == .passed)
        #expect(report.result("ex4.answers.present")?.message.contains("analysis.ipynb") == true)
    }

    @Test func oversizedFilesAreRefusedWithoutBeingRead() async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        let handle = try FileHandle(forWritingTo: folder.path("features.csv"))
        try handle.truncate(atOffset: UInt64(Route019Submission.maxFileBytes + 1))
        try handle.close()
        let report = await grade(folder)
        let readable = try #require(report.result("ex0.features.readable"))
        #expect(readable.outcome == .failed)
        #expect(readable.message.contains("MiB"))
        #expect(report.result("ex3.clusters.match")?.outcome == .passed)
    }

    @Test func aFolderThatOnlyLinksBackToItselfIsGradedNotFollowed() async throws {
        let directory = try TemporaryDirectory(prefix: "belay-loop")
        defer { directory.cleanup() }
        try FileManager.default.createSymbolicLink(atPath: directory.file("loop").path, withDestinationPath: directory.path)
        let report = await grade(SubmissionFolder(url: directory.url))
        #expect(report.result("ex0.features.readable")?.outcome == .failed)
        #expect(report.result("ex0.features.readable")?.message.contains("missing") == true)
    }

    @Test func everyRubricCheckHasABrokenSubmission() {
        let covered = Set(brokenSubmissions.map(\.check))
        let all = Set(sharedRubric.checks.map(\.id)).filter { !$0.hasPrefix("swift.") }
        #expect(all.subtracting(covered).isEmpty, "no broken submission for \(all.subtracting(covered).sorted())")
    }

    @Test(arguments: brokenSubmissions)
    func brokenSubmissionFailsExactlyItsCheck(_ broken: BrokenSubmission) async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        if broken.withNotebook {
            try folder.write("analysis.ipynb", try NotebookBuilder.clean(reflection: try folder.read("reflection.md")).json())
        }
        try broken.mutate(folder)
        let report = await grade(folder)
        let target = try #require(report.result(broken.check))
        #expect(target.outcome == .failed, "\(broken.check) should fail but was \(target.outcome): \(target.message)")
        let text = target.message + "\n" + target.details
        #expect(text.localizedCaseInsensitiveContains(broken.reason), "reason '\(broken.reason)' not in: \(text)")
        #expect(report.failedIDs == Set([broken.check]).union(broken.alsoFails), "failed: \(report.failedIDs.sorted())")
        for skipped in report.results where skipped.outcome == .skipped && !skipped.isNotApplicable {
            #expect(skipped.message.contains("prerequisite"), "\(skipped.id) skipped without naming a prerequisite")
        }
        // Nothing that does not depend on the broken check is lost.
        let dependents = Set(sharedRubric.checks.filter { !$0.requires.isEmpty }.map(\.id))
        for result in report.results where !report.failedIDs.contains(result.id) && result.outcome != .passed {
            #expect(dependents.contains(result.id) || result.isNotApplicable, "\(result.id) is \(result.outcome)")
        }
    }
}

/// Ways of writing the same CSV files that the contract accepts without complaint.
struct TolerantVariant: Sendable, CustomTestStringConvertible {
    let name: String
    let transform: @Sendable (_ fileName: String, _ text: String) -> String
    var testDescription: String { name }
}

/// Rewrites a CSV with another delimiter (every field quoted, so embedded delimiters stay safe).
func rewrite(_ text: String, delimiter: String) -> String {
    text.split(separator: "\n").map { line in
        line.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }.joined(separator: delimiter)
    }.joined(separator: "\n") + "\n"
}

let tolerantVariants: [TolerantVariant] = [
    TolerantVariant(name: "UTF-8 byte-order mark") { _, text in "\u{FEFF}" + text },
    TolerantVariant(name: "Windows line ends") { _, text in text.replacingOccurrences(of: "\n", with: "\r\n") },
    TolerantVariant(name: "semicolons") { _, text in rewrite(text, delimiter: ";") },
    TolerantVariant(name: "tabs") { _, text in rewrite(text, delimiter: "\t") },
    TolerantVariant(name: "quoted fields") { _, text in rewrite(text, delimiter: ",") },
    TolerantVariant(name: "header case and spaces") { _, text in
        guard let newline = text.firstIndex(of: "\n") else { return text }
        let header = text[..<newline].split(separator: ",").map { " " + $0.uppercased() + " " }.joined(separator: ",")
        return header + text[newline...]
    },
    TolerantVariant(name: "column order reversed") { _, text in
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).reversed().joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    },
]

@Suite("Tolerated ways of writing the files")
struct TolerantVariantTests {
    @Test(arguments: tolerantVariants)
    func variantScoresFullMarks(_ variant: TolerantVariant) async throws {
        let folder = try SubmissionFolder.reference()
        defer { folder.cleanup() }
        for file in ["features.csv", "label_encoding.csv", "clusters.csv", "splits.csv", "metrics.csv"] {
            try folder.write(file, variant.transform(file, try folder.read(file)))
        }
        let report = await grade(folder)
        let notPassed = report.results.filter { $0.outcome != .passed && !$0.isNotApplicable }
        #expect(notPassed.isEmpty, "\(variant.name): \(notPassed.map { "\($0.id): \($0.message)" })")
    }
}
