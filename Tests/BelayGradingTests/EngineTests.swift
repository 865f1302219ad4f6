import BelayGrading
import BelayReports
import Foundation
import Testing

/// What the fake route's checks read.
struct FakeSubmission: Sendable {
    var filesPresent = true
    var columns = 21
    var accuracy = 0.99
    var throwInAccuracy = false
}

struct FakeRouteError: Error, CustomStringConvertible {
    var description: String { "features.csv: line 3, column 2: not a number" }
}

enum FakeRoute {
    static let checks: [String: CheckImplementation<FakeSubmission>] = [
        "ex0.files.present": { s, _ in s.filesPresent ? .pass("all files found") : .fail("features.csv is missing", hint: "save it next to the notebook") },
        "ex0.features.columns": { s, spec in
            _ = try spec.number("tolerance")
            return s.columns == 21
                ? .pass("21 columns") : .fail("found \(s.columns) columns", details: "expected 21\nfound \(s.columns)")
        },
        "ex1.accuracy": { s, _ in
            if s.throwInAccuracy { throw FakeRouteError() }
            return .partial(s.accuracy, "accuracy \(s.accuracy)")
        },
        "ex1.secret": { _, spec in .fail("expected \(try spec.number("expected"))") },
        "ex1.after": { _, _ in .pass("ok") },
    ]

    static func grade(_ s: FakeSubmission, audience: Audience) async throws -> GradeReport {
        let engine = Engine(checks: checks)
        let rubric = try Fixture.rubric()
        try engine.validate(rubric)
        return await engine.run(
            rubric: rubric, context: s, audience: audience, submissionName: "alice",
            properties: [Property("belay.rubric.sha256", rubric.sha256), Property("belay.seed", "42")])
    }
}

@Suite struct EngineTests {
    @Test func prerequisiteFailureSkipsDependentsWithItsName() async throws {
        let report = try await FakeRoute.grade(FakeSubmission(filesPresent: false), audience: .instructor)
        #expect(report.results.map(\.outcome) == [.failed, .skipped, .skipped, .failed, .skipped])
        let columns = report.results[1]
        #expect(columns.message == "not run: prerequisite 'ex0.files.present' (the output files exist) did not pass (failed)")
        #expect(report.results[2].message.contains("prerequisite 'ex0.features.columns' (features.csv has the 21 feature columns) was skipped"))
        #expect(report.results[1].pointsEarned == 0 && report.results[1].pointsPossible == 2)
        #expect(report.results[0].hint == "save it next to the notebook")
    }

    @Test func thrownErrorBecomesAnErrorOutcome() async throws {
        let report = try await FakeRoute.grade(FakeSubmission(throwInAccuracy: true), audience: .instructor)
        let accuracy = try #require(report.results.first { $0.id == "ex1.accuracy" })
        #expect(accuracy.outcome == .error)
        #expect(accuracy.message.contains("features.csv: line 3, column 2: not a number"))
        #expect(accuracy.pointsEarned == 0)
        #expect(report.errorCount == 1)
        #expect(report.results.count == 5)  // grading went on after the error
    }

    @Test func partialCreditEarnsAFractionButIsNotAPass() async throws {
        let report = try await FakeRoute.grade(FakeSubmission(accuracy: 0.75), audience: .instructor)
        let accuracy = try #require(report.results.first { $0.id == "ex1.accuracy" })
        #expect(accuracy.outcome == .failed)
        #expect(accuracy.pointsEarned == 3)
        #expect(accuracy.isPartial)
        #expect(report.pointsEarned == 1 + 2 + 3 + 0)  // ex1.after skipped: ex1.secret failed
        #expect(report.pointsPossible == 12)
        #expect(!report.allPassed)
        let full = try await FakeRoute.grade(FakeSubmission(accuracy: 1.2), audience: .instructor)
        #expect(full.results[2].outcome == .passed && full.results[2].pointsEarned == 4)
    }

    @Test func studentRunNeitherRunsNorRevealsHiddenChecks() async throws {
        let report = try await FakeRoute.grade(FakeSubmission(), audience: .student)
        #expect(report.results.map(\.id) == ["ex0.files.present", "ex0.features.columns", "ex1.accuracy"])
        #expect(report.hidden == HiddenSummary(count: 2, points: 5))
        #expect(report.audience == "student")
        #expect(report.totalPointsPossible == 12)
        // Nothing about the hidden checks leaks into any format.
        let outputs = [
            JUnitReport.render(report), TerminalReport.render(report, color: false), JSONReport.render(report),
            GradescopeReport.render(report),
        ]
        for output in outputs {
            for secret in ["ex1.secret", "SECRET-TITLE", "0.987654", "ex1.after", "depends on the hidden"] {
                #expect(!output.contains(secret), "leaked \(secret)")
            }
        }
        #expect(outputs[1].replacingOccurrences(of: "\n", with: " ").contains("2 hidden checks worth 5 more points run only when the instructor grades"))
    }

    @Test func validateNamesAMissingImplementation() throws {
        var checks = FakeRoute.checks
        checks["ex1.accuracy"] = nil
        let error = try #require(throws: RubricError.self) { try Engine(checks: checks).validate(try Fixture.rubric()) }
        #expect(error.line == 19)
        #expect(error.message.contains("'ex1.accuracy' has no implementation"))
    }

    @Test func cancelledRunReportsRemainingChecksAsErrors() async throws {
        let rubric = try Fixture.rubric()
        let engine = Engine<FakeSubmission>(checks: FakeRoute.checks)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await engine.run(
                rubric: rubric, context: FakeSubmission(), audience: .instructor, submissionName: "x", properties: [])
        }
        let report = await task.value
        #expect(report.results.allSatisfy { $0.outcome != .passed })
        #expect(report.results[0].outcome == .error)
    }

    @Test func durationsAreMeasuredAndCanBeZeroed() async throws {
        let report = try await FakeRoute.grade(FakeSubmission(), audience: .instructor)
        #expect(report.results.allSatisfy { $0.durationSeconds >= 0 })
        #expect(report.withoutDurations().results.allSatisfy { $0.durationSeconds == 0 })
    }

    @Test func pointsFormat() {
        #expect(Points.format(2) == "2")
        #expect(Points.format(1.5) == "1.5")
        #expect(Points.format(0.1 + 0.2) == "0.3")
        #expect(Points.format(2.0 / 3.0) == "0.67")
        #expect(Points.format(0.05) == "0.05")
    }
}
