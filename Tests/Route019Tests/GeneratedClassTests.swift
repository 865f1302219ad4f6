import BelayData
import BelayGrading
import BelayRoute
import BelayTestSupport
import Foundation
import Route019
import Testing

/// One submission of a generated class, as `Tests/Python/generate_class.py` describes it in its manifest.
struct GeneratedSubmission: Decodable {
    var name: String
    var legit: Bool
    /// The exercise a flawed submission must fail in.
    var exercise: String?
}

/// What grading a generated class found: every legitimate student must score full marks, every flawed one must
/// lose points in its own exercise.
struct ClassVerdicts {
    var legit = 0
    var flawed = 0
    /// Legitimate submissions that lost points, with the checks that cost them.
    var falseFails: [String] = []
    /// Flawed submissions that kept every point of their exercise.
    var falsePasses: [String] = []
    /// Flawed submissions that also lost points outside their exercise (reported, not counted as wrong).
    var spills: [String] = []

    var summary: String {
        "\(legit) legitimate and \(flawed) flawed submissions: \(falseFails.count) false fails, \(falsePasses.count) false passes"
    }
}

/// Generates a class with scikit-learn and pandas from a course dataset, grades it as an instructor would (hidden
/// checks included) and sorts the verdicts.
func gradeGeneratedClass(
    dataDirectory: URL, reference: Route019Reference, legit: Int, flawed: Int, seed: Int
) async throws -> ClassVerdicts {
    let out = try TemporaryDirectory(prefix: "belay-class")
    defer { out.cleanup() }
    let script = repositoryRoot.appendingPathComponent("Tests/Python/generate_class.py").path
    let reflection = repositoryRoot.appendingPathComponent("solutions/019-leaky-pipeline/reflection.md").path
    try Python.output(
        script: "import runpy, sys; sys.argv = [sys.argv[1]] + sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')",
        arguments: [
            script, dataDirectory.path, out.path, reflection, "--legit", String(legit), "--flawed", String(flawed),
            "--seed", String(seed), "--jobs", "1",
        ])
    let manifest = try JSONDecoder().decode(
        [GeneratedSubmission].self, from: Data(contentsOf: out.file("manifest.json")))
    let grader = Route019Grader(reference: reference, rubric: sharedRubric, audience: .instructor, belayVersion: "test")
    var verdicts = ClassVerdicts()
    for submission in manifest {
        let report = await grader.grade(submissionAt: out.file(submission.name), name: submission.name)
        let lost = report.results.filter {
            $0.outcome == .failed || $0.outcome == .error || ($0.outcome == .skipped && !$0.isNotApplicable)
        }
        let lostExercises = Set(lost.map(\.exercise))
        let explained = lost.map { "\($0.id) (\($0.outcome)): \($0.message)" }.joined(separator: "; ")
        if submission.legit {
            verdicts.legit += 1
            if !lost.isEmpty { verdicts.falseFails.append("\(submission.name): \(explained)") }
        } else {
            verdicts.flawed += 1
            let exercise = submission.exercise ?? "?"
            if !lostExercises.contains(exercise) {
                verdicts.falsePasses.append("\(submission.name) (should fail in \(exercise)): \(explained.isEmpty ? "full marks" : explained)")
            } else if lostExercises.count > 1 {
                verdicts.spills.append("\(submission.name) (\(exercise)): \(explained)")
            }
        }
    }
    return verdicts
}

/// Prints a class's verdicts where CI's log shows them.
func printVerdicts(_ name: String, _ v: ClassVerdicts) {
    var lines = ["Generated class on \(name): \(v.summary)"]
    lines += v.falseFails.map { "  FALSE FAIL  \($0)" }
    lines += v.falsePasses.map { "  FALSE PASS  \($0)" }
    lines += v.spills.map { "  also lost points elsewhere: \($0)" }
    print(lines.joined(separator: "\n"))
}

@Suite("A class generated with scikit-learn: no false fails, no false passes", .serialized)
struct GeneratedClassTests {
    static let pythonModules = Python.isAvailable("sklearn", "scipy", "pandas", "h5py", "openpyxl")

    @Test(.enabled(if: pythonModules, "needs scikit-learn, SciPy, pandas, h5py and openpyxl (CI requires them)"))
    func embeddedData() async throws {
        let directory = try CourseDataset.embeddedDefaultDirectory()
        let v = try await gradeGeneratedClass(
            dataDirectory: directory, reference: sharedReference, legit: 64, flawed: 100, seed: 0)
        printVerdicts("the embedded H37Rv data", v)
        #expect(v.legit >= 64 && v.flawed >= 25)
        #expect(v.falseFails.isEmpty, "false fails:\n\(v.falseFails.joined(separator: "\n"))")
        #expect(v.falsePasses.isEmpty, "false passes:\n\(v.falsePasses.joined(separator: "\n"))")
    }

    @Test(.enabled(if: pythonModules, "needs scikit-learn, SciPy, pandas, h5py and openpyxl (CI requires them)"))
    func synthesizedData() async throws {
        let (directory, reference) = try synthesizedCourseData(proteins: 2000, labeled: 900, dimension: 128, seed: 11)
        defer { directory.cleanup() }
        let v = try await gradeGeneratedClass(
            dataDirectory: directory.url, reference: reference, legit: 40, flawed: 12, seed: 1)
        printVerdicts("synthetic data (belay data synth)", v)
        #expect(v.legit >= 40 && v.flawed >= 10)
        #expect(v.falseFails.isEmpty, "false fails:\n\(v.falseFails.joined(separator: "\n"))")
        #expect(v.falsePasses.isEmpty, "false passes:\n\(v.falsePasses.joined(separator: "\n"))")
    }
}
