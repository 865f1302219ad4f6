import BelayData
import BelayFormats
import BelayGrading
import BelayTestSupport
import BelayRoute
import Foundation
import Route020
import Testing

/// The shipped rubric without the curve's rerun, for tests about other checks (the rerun fits 40 models).
let rubricWithoutRerun: Rubric = {
    do {
        return try Rubric(
            route: sharedRubric.route, title: sharedRubric.title, version: sharedRubric.version,
            exercises: sharedRubric.exercises, checks: sharedRubric.checks.filter { $0.id != "curve.rerun" },
            params: sharedRubric.params)
    } catch {
        preconditionFailure("the filtered rubric must be valid: \(error)")
    }
}()

func gradeWithoutRerun(_ folder: SubmissionFolder) async throws -> GradeReport {
    let grader = try Route020Grader(reference: sharedReference, rubric: rubricWithoutRerun, audience: .instructor, belayVersion: "test")
    return await grader.grade(submissionAt: folder.url, name: "student")
}

/// The clean label of a protein.
func cleanLabel(_ id: String) -> String { sharedReference.labels[sharedReference.indexByID[id]!] }

/// Another class than `label`.
func otherClass(_ label: String, step: Int = 1) -> String {
    let classes = sharedReference.classes
    return classes[(classes.firstIndex(of: label)! + step) % classes.count]
}

/// One way to break the solution, and the check that must catch it.
enum Breakage: String, CaseIterable, Sendable {
    case splitMissing, splitBadSide, splitMalformed
    case splitDropsProtein, splitUnknownID, splitDuplicateID, splitUncleanedProtein, splitTinyTest
    case splitByClass
    case labelsMissing, labelsNaNRate, labelsHugeFile
    case labelsRateMissing, labelsNotAClass, labelsDuplicateID
    case testLabelFlipped, noisyTestLabels, labelsTrainOnly
    case flippedAtZero
    case flipsToAnyClass
    case flipsAlwaysNextClass
    case setupMissing, setupUnknownFeatures
    case curveRowMissing, curveNaN, curveOutOfRange
    case reflectionMissingAnswer, reflectionOffTopic, reflectionCopied

    /// The check that must not pass.
    var check: String {
        switch self {
        case .splitMissing, .splitBadSide, .splitMalformed: return "split.readable"
        case .splitDropsProtein, .splitUnknownID, .splitDuplicateID, .splitUncleanedProtein, .splitTinyTest:
            return "split.partition"
        case .splitByClass: return "split.random"
        case .labelsMissing, .labelsNaNRate, .labelsHugeFile: return "labels.readable"
        case .labelsRateMissing, .labelsNotAClass, .labelsDuplicateID: return "labels.complete"
        case .testLabelFlipped, .noisyTestLabels, .labelsTrainOnly: return "labels.test_untouched"
        case .flippedAtZero: return "labels.clean_at_zero"
        case .flipsToAnyClass: return "labels.flip_rates"
        case .flipsAlwaysNextClass: return "labels.flips_uniform"
        case .setupMissing, .setupUnknownFeatures: return "setup.readable"
        case .curveRowMissing, .curveNaN, .curveOutOfRange: return "curve.readable"
        case .reflectionMissingAnswer: return "reflection.present"
        case .reflectionOffTopic: return "reflection.concepts"
        case .reflectionCopied: return "reflection.original"
        }
    }

    /// Applies the breakage to a copy of the solution.
    func apply(to folder: SubmissionFolder) throws {
        let split = Dictionary(uniqueKeysWithValues: try solutionSplit().map { ($0.id, $0.isTest) })
        switch self {
        case .splitMissing: try folder.remove("split.csv")
        case .splitBadSide:
            try folder.editCSV("split.csv") { _, row, i in i == 3 ? [row[0], "validation"] : row }
        case .splitMalformed:
            try folder.write("split.csv", "protein_id,split\nRv0001,\"train\nRv0002,test\n")
        case .splitDropsProtein:
            try folder.editCSV("split.csv") { _, row, i in i == 10 ? nil : row }
        case .splitUnknownID:
            try folder.write("split.csv", try folder.read("split.csv") + "NOT_A_PROTEIN,train\n")
        case .splitDuplicateID:
            try folder.editCSV("split.csv") { _, row, i in i == 5 ? [row[0], row[1] == "test" ? "train" : "test"] : row }
            let first = try CSVTable.parse(try folder.read("split.csv"), fileName: "split.csv").rows[5]
            try folder.write("split.csv", try folder.read("split.csv") + "\(first[0]),\(first[1] == "test" ? "train" : "test")\n")
        case .splitUncleanedProtein:
            let uncleaned = sharedReference.dataset.proteins.first { sharedReference.indexByID[$0.id] == nil }!.id
            try folder.write("split.csv", try folder.read("split.csv") + "\(uncleaned),train\n")
        case .splitTinyTest:
            var kept = 0
            try folder.editCSV("split.csv") { _, row, _ in
                guard row[1] == "test" else { return row }
                kept += 1
                return kept <= 20 ? row : [row[0], "train"]
            }
        case .splitByClass:
            // The test set: as many proteins as before, membrane first.
            let testCount = split.values.filter { $0 }.count
            let ordered = sharedReference.ids.sorted { (cleanLabel($0) == "membrane" ? 0 : 1, $0) < (cleanLabel($1) == "membrane" ? 0 : 1, $1) }
            let test = Set(ordered.prefix(testCount))
            try folder.editCSV("split.csv") { _, row, _ in [row[0], test.contains(row[0]) ? "test" : "train"] }
            // Keep the labels consistent with the new split: clean at every rate (so only split.random is wrong).
            try folder.editCSV("noisy_labels.csv") { _, row, _ in [row[0], row[1], cleanLabel(row[1])] }
        case .labelsMissing: try folder.remove("noisy_labels.csv")
        case .labelsNaNRate:
            try folder.editCSV("noisy_labels.csv") { _, row, i in i == 7 ? ["nan", row[1], row[2]] : row }
        case .labelsHugeFile:
            let handle = try FileHandle(forWritingTo: folder.path("noisy_labels.csv"))
            try handle.truncate(atOffset: 100 << 20)
            try handle.close()
        case .labelsRateMissing:
            try folder.editCSV("noisy_labels.csv") { _, row, _ in row[0] == "0.45" ? nil : row }
        case .labelsNotAClass:
            try folder.editCSV("noisy_labels.csv") { _, row, i in i == 2 ? [row[0], row[1], "nucleus"] : row }
        case .labelsDuplicateID:
            let rows = try CSVTable.parse(try folder.read("noisy_labels.csv"), fileName: "x").rows
            try folder.write("noisy_labels.csv", try folder.read("noisy_labels.csv") + rows[4].joined(separator: ",") + "\n")
        case .testLabelFlipped:
            var done = false
            try folder.editCSV("noisy_labels.csv") { _, row, _ in
                guard !done, row[0] == "0.30", split[row[1]] == true else { return row }
                done = true
                return [row[0], row[1], otherClass(cleanLabel(row[1]))]
            }
        case .noisyTestLabels:
            // Noise on every label, test included (the classic mistake): a fifth of the test labels at 0.45 flipped.
            var n = 0
            try folder.editCSV("noisy_labels.csv") { _, row, _ in
                guard row[0] == "0.45", split[row[1]] == true else { return row }
                n += 1
                return n % 5 == 0 ? [row[0], row[1], otherClass(cleanLabel(row[1]))] : row
            }
        case .labelsTrainOnly:
            try folder.editCSV("noisy_labels.csv") { _, row, _ in split[row[1]] == true ? nil : row }
        case .flippedAtZero:
            var n = 0
            try folder.editCSV("noisy_labels.csv") { _, row, _ in
                guard row[0] == "0.00", split[row[1]] == false else { return row }
                n += 1
                return n <= 30 ? [row[0], row[1], otherClass(cleanLabel(row[1]))] : row
            }
        case .flipsToAnyClass:
            // "Flip" by drawing from all three classes: a third of the draws keep the class, so the realised
            // rate is two thirds of the declared one. Here: every third flip of the solution is undone.
            var n = 0
            try folder.editCSV("noisy_labels.csv") { _, row, _ in
                guard row[2] != cleanLabel(row[1]) else { return row }
                n += 1
                return n % 3 == 0 ? [row[0], row[1], cleanLabel(row[1])] : row
            }
        case .flipsAlwaysNextClass:
            try folder.editCSV("noisy_labels.csv") { _, row, _ in
                row[2] == cleanLabel(row[1]) ? row : [row[0], row[1], otherClass(cleanLabel(row[1]))]
            }
        case .setupMissing: try folder.remove("setup.csv")
        case .setupUnknownFeatures:
            try folder.editCSV("setup.csv") { _, row, _ in row[0] == "features" ? ["features", "pixels"] : row }
        case .curveRowMissing:
            try folder.editCSV("curve.csv") { _, row, _ in row[0] == "0.45" ? nil : row }
        case .curveNaN:
            try folder.editCSV("curve.csv") { _, row, i in i == 3 ? [row[0], "NaN"] : row }
        case .curveOutOfRange:
            try folder.editCSV("curve.csv") { _, row, i in i == 3 ? [row[0], "73.1"] : row }
        case .reflectionMissingAnswer:
            let text = try folder.read("reflection.md")
            try folder.write("reflection.md", String(text[..<text.range(of: "## Q3")!.lowerBound]))
        case .reflectionOffTopic:
            try folder.write(
                "reflection.md",
                "## Q1\nI enjoyed the course a lot. The notebook ran fine.\n\n## Q2\nPython is a nice language. "
                    + "Pandas helped.\n\n## Q3\nI would like more exercises. Thank you for the feedback.\n")
        case .reflectionCopied:
            let text = try folder.read("reflection.md")
            let q1 = text[text.range(of: "## Q1\n")!.upperBound..<text.range(of: "## Q2")!.lowerBound]
            let q3 = text[text.range(of: "## Q3")!.lowerBound...]
            try folder.write("reflection.md", "## Q1\n\(q1)## Q2\n\(q1)\(q3)")
        }
    }
}

@Suite("Route 020: one broken submission per check")
struct BrokenSubmissionTests {
    @Test(arguments: Breakage.allCases)
    func theCheckCatchesIt(_ breakage: Breakage) async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        try breakage.apply(to: folder)
        let report = try await gradeWithoutRerun(folder)
        let result = try #require(report.result(breakage.check))
        #expect(result.outcome == .failed, "\(breakage): \(result.outcome) — \(result.message)")
        #expect(result.pointsEarned < result.pointsPossible)
        #expect(!result.message.isEmpty)
        // Every failure says how to fix it: a hint, or a fix in the details.
        #expect(result.hint != nil || !result.details.isEmpty, "\(breakage): no hint")
        // Broken input is a failing check, never an engine error.
        #expect(!report.results.contains { $0.outcome == .error && !$0.message.contains("prerequisite") },
                "\(breakage): \(report.results.filter { $0.outcome == .error }.map { "\($0.id): \($0.message)" })")
    }

    @Test func aHugeFileIsRefusedWithItsSize() async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        try Breakage.labelsHugeFile.apply(to: folder)
        let report = try await gradeWithoutRerun(folder)
        let result = try #require(report.result("labels.readable"))
        #expect(result.message.contains("100 MiB"))
        #expect(result.message.contains("32 MiB"))
    }

    @Test func flipsToAnyClassFailMostRatesWithTheBoundStated() async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        try Breakage.flipsToAnyClass.apply(to: folder)
        let report = try await gradeWithoutRerun(folder)
        let result = try #require(report.result("labels.flip_rates"))
        #expect(result.details.contains("Bound: |flips − r·n| ≤ 4·√(n·r·(1−r)) + 3"))
        // At 5% two thirds of 66 flips is 22 short, less than the bound's 4·7.9 + 3: the small rates pass.
        #expect(!result.message.contains(" 5%,"))
        #expect(result.message.contains("45%"))
    }

    @Test func percentRatesAreReadAsShares() async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        func percent(_ rate: String) -> String { String(Int((Double(rate)! * 100).rounded())) }
        try folder.editCSV("noisy_labels.csv") { _, row, _ in [percent(row[0]), row[1], row[2]] }
        try folder.editCSV("curve.csv") { _, row, _ in [percent(row[0]) + "%", row[1]] }
        let report = try await gradeWithoutRerun(folder)
        #expect(report.notPassedIDs.isEmpty, "\(report.results.filter { $0.outcome != .passed }.map { "\($0.id): \($0.message)" })")
        #expect(report.result("labels.readable")?.message.contains("percentages") == true)
    }

    @Test func anEmptyFolderFailsEveryCheckWithoutCrashing() async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        for name in contractFiles { try folder.remove(name) }
        let report = await grade(folder)
        #expect(report.results.allSatisfy { $0.outcome == .failed || $0.outcome == .skipped })
        #expect(report.results.reduce(0) { $0 + $1.pointsEarned } == 0)
    }
}
