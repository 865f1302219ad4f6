import BelayRoute
import Foundation
@testable import Route020
import Testing

@Suite("Route 020: reading the files")
struct SubmissionParsingTests {
    @Test(arguments: [
        ("## Q1", 1), ("### Q2: why noise", 2), ("**Q3.** The limit", 3), ("# q2", 2), ("##Q1", 1),
        ("## Questions", nil), ("## Q10", nil), ("Q1 without a heading", nil), ("## Q1a", nil),
    ] as [(String, Int?)])
    func headingsNameTheirQuestion(_ line: String, _ number: Int?) {
        let answers = Route020Submission.reflectionAnswers(markdown: line + "\nanswer")
        #expect(Array(answers.keys) == (number.map { [$0] } ?? []), "\(line)")
    }

    @Test func answersRunToTheNextHeading() {
        let answers = Route020Submission.reflectionAnswers(markdown: "# Reflection\n## Q1\nOne.\nTwo.\n\n## Q2\nThree.\n## Q3\n")
        #expect(answers == [1: "One.\nTwo.", 2: "Three.", 3: ""])
    }

    @Test func wholePercentRatesAreRecognisedOnlyOnTheGrid() {
        #expect(Route020Submission.ratesLookLikePercent([0, 5, 10, 45]))
        #expect(!Route020Submission.ratesLookLikePercent([0, 0.05, 0.45]))
        #expect(!Route020Submission.ratesLookLikePercent([0, 5, 12]))
        #expect(Route020Submission.share("5%")?.value == 0.05)
        #expect(Route020Submission.share("nan") == nil)
        #expect(Route020Submission.share("inf") == nil)
    }

    @Test func semicolonsABOMAndCRLFAreRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("belay-020-parse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("\u{FEFF}Protein_ID;Split\r\nRv0001;Train\r\nRv0002; test \r\n".utf8)
            .write(to: directory.appendingPathComponent("Split.csv"))
        let submission = Route020Submission.load(directory: directory, name: "s")
        let split = try #require(submission.split.value)
        #expect(split.rows.map(\.id) == ["Rv0001", "Rv0002"])
        #expect(split.rows.map(\.isTest) == [false, true])
        #expect(submission.noisyLabels.problem?.message == "is missing")
    }

    @Test(arguments: ["hand-made", "Handmade", "21 features", "AA counts", "embeddings", "UniRep", "embedding"])
    func featureWordsAreUnderstood(_ word: String) {
        #expect(FeatureSet.named(word) != nil)
    }

    @Test func unknownFeatureWordsAreNot() {
        #expect(FeatureSet.named("pixels") == nil)
        #expect(FeatureSet.named("") == nil)
    }
}
