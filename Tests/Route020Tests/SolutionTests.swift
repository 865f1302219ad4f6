import BelayFormats
import BelayGrading
import BelayTestSupport
import BelayRoute
import Foundation
@testable import Route020
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

    @Test(arguments: FeatureSet.allCases)
    func belaysOwnRunScoresFullMarks(_ features: FeatureSet) async throws {
        let folder = try SubmissionFolder.solution()
        defer { folder.cleanup() }
        let run = sharedReference.referenceRun(seed: 7, testFraction: 0.25, features: features)
        let written = try sharedReference.writeSubmission(run, to: folder.url)
        #expect(written == ["split.csv", "noisy_labels.csv", "curve.csv", "setup.csv"])
        #expect(run.isTest.filter { $0 }.count == Int((0.25 * 1654).rounded(.up)))
        let report = await grade(folder)
        for result in report.results where result.outcome != .passed {
            Issue.record("\(features): \(result.id): \(result.outcome) — \(result.message)\n\(result.details)")
        }
        #expect(try folder.read("setup.csv").contains("features,\(features.rawValue)"))
        #expect(sharedReference.curveTable(run).contains("majority class of the test set"))
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

@Suite("Route 020: the exercise's files")
struct ExerciseFilesTests {
    let exercise = repositoryRoot.appendingPathComponent("exercises/020-good-models-from-bad-labels")

    @Test func theStarterNotebookLaysOutTheStepsAndWritesEveryFile() throws {
        let url = exercise.appendingPathComponent("good_models_from_bad_labels.ipynb")
        let notebook = try Notebook.parse(Data(contentsOf: url), fileName: url.lastPathComponent)
        let code = notebook.cells.filter { $0.kind == .code }.map(\.source).joined(separator: "\n")
        let text = notebook.cells.map(\.source).joined(separator: "\n")
        for file in ["split.csv", "noisy_labels.csv", "curve.csv", "setup.csv"] { #expect(code.contains(file)) }
        for step in ["Step 1", "Step 2", "Step 3", "Step 4", "Q1", "Q2", "Q3"] { #expect(text.contains(step)) }
        #expect(code.contains("TODO"))
    }

    @Test func theReadmeNamesEveryColumnOfTheContract() throws {
        let readme = try String(contentsOf: exercise.appendingPathComponent("README.md"), encoding: .utf8)
        for name in contractFiles + ["protein_id", "split", "noise_rate", "label", "accuracy", "setting", "features"] {
            #expect(readme.contains("`\(name)`"), "\(name)")
        }
        // The reflection questions the rubric's originality check compares with are the README's.
        for q in 1...3 {
            let question = try #require(sharedRubric.check("reflection.original")?.value("q\(q)_question")?.stringValue)
            func words(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            #expect(words(readme).contains(words(question)), "Q\(q)")
        }
    }

    /// The reflection a student starts from: the exercise's own template when it ships one (`reflection.md` or
    /// `Reflection.md` anywhere under the exercise), else Route 019's template made from this exercise's README:
    /// a heading per question with the question as an HTML comment under it.
    func reflectionTemplates() throws -> [(name: String, text: String)] {
        var templates: [(String, String)] = []
        let fm = FileManager.default
        if let walker = fm.enumerator(at: exercise, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.lastPathComponent.lowercased() == "reflection.md" {
                templates.append((url.path, try String(contentsOf: url, encoding: .utf8)))
            }
        }
        let readme = try String(contentsOf: exercise.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Reflection questions")).upperBound
        let questions = readme[section...].components(separatedBy: "- **Q").dropFirst().map {
            $0.split(whereSeparator: \.isWhitespace).dropFirst().joined(separator: " ")
        }
        #expect(questions.count == 3)
        let madeUp = "# Reflection\n\n" + questions.enumerated().map { "## Q\($0.offset + 1)\n<!-- \($0.element) -->\n" }
            .joined(separator: "\n")
        templates.append(("the README's questions as a commented template", madeUp))
        return templates
    }

    @Test func theUntouchedReflectionTemplateFailsTheReflectionChecks() async throws {
        for (name, template) in try reflectionTemplates() {
            let folder = try SubmissionFolder.solution()
            defer { folder.cleanup() }
            try folder.write("reflection.md", template)
            // The prompts are comments, not answers: every question is unanswered.
            let answers = Route020Submission.reflectionAnswers(markdown: template)
            #expect(answers.values.allSatisfy { $0.isEmpty }, "\(name)")
            let report = try await gradeWithoutRerun(folder)
            #expect(report.result("reflection.present")?.outcome == .failed, "\(name)")
            #expect(report.result("reflection.present")?.pointsEarned == 0, "\(name)")
            #expect(report.result("reflection.concepts")?.outcome != .passed, "\(name)")
            #expect(report.result("reflection.concepts")?.pointsEarned ?? 0 == 0, "\(name)")
        }
    }
}
