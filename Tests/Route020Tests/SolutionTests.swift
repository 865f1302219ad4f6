import BelayGrading
import BelayTestSupport
import Foundation
import Route020
import Testing

@Suite("Route 020: the committed solution")
struct SolutionTests {
    @Test func theSolutionScoresFullMarks() async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        let report = await grade(folder)
        for result in report.results where result.outcome != .passed {
            Issue.record("\(result.id): \(result.outcome) — \(result.message)\n\(result.details)")
        }
        #expect(report.results.count == sharedRubric.checks.count)
        #expect(report.results.reduce(0) { $0 + $1.pointsEarned } == sharedRubric.pointsPossible)
        #expect(report.properties.contains { $0.name == "labels.source" && $0.value == "the sheet's location column" })
    }

    @Test func theReferenceHasTheCoursesCleanedProteins() {
        // The sheet's README: 1654 labelled proteins, cytoplasm 379, membrane 1128, secreted 147.
        #expect(sharedReference.ids.count == 1654)
        #expect(sharedReference.classes == ["cytoplasm", "membrane", "secreted"])
        #expect(sharedReference.labels.filter { $0 == "secreted" }.count == 147)
        #expect(sharedReference.embeddingRow.allSatisfy { $0 != nil })
        #expect(sharedReference.integrityProblem == nil)
    }

    @Test func theShippedRubricValidates() throws {
        try Route020Checks.engine.validate(sharedRubric)
        try sharedRubric.validateParameters(route: Route020Grader.routeParameters, checks: Route020Grader.checkParameters)
        #expect(Set(sharedRubric.checks.map(\.id)) == Set(Route020Checks.all.keys))
    }
}
