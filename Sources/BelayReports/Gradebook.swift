public import BelayGrading

/// The class gradebook as CSV: a `points possible` row, then one row per student sorted by name.
///
/// Columns: `student, status, total, max`, one per exercise (`ex0` …), one per check (check ids, rubric
/// order), `flags` (`check: flag; …`, e.g. `ex4.q2: reflection-needs-read`) and `message`. Students that
/// could not be graded have status `error` or `timeout`, total 0 and empty point cells.
public enum Gradebook {
    /// The column layout derived from the reports: exercises and checks in rubric order, with points possible.
    struct Layout {
        var exercises: [String] = []
        var checks: [(id: String, exercise: String, points: Double)] = []

        init(_ results: [StudentResult]) {
            var seenChecks = Set<String>()
            var seenExercises = Set<String>()
            for report in results.compactMap(\.report) {
                for exercise in report.exercises.map(\.id) + report.results.map(\.exercise)
                where report.results.contains(where: { $0.exercise == exercise }) && seenExercises.insert(exercise).inserted {
                    exercises.append(exercise)
                }
                for result in report.results where seenChecks.insert(result.id).inserted {
                    checks.append((result.id, result.exercise, result.pointsPossible))
                }
            }
        }

        var maxPoints: Double { Points.sum(checks.map(\.points)) }
        func exerciseMax(_ id: String) -> Double { Points.sum(checks.filter { $0.exercise == id }.map(\.points)) }
    }

    /// Renders the gradebook.
    /// - Complexity: O(students x checks).
    public static func render(reports: [StudentResult]) -> String {
        let sorted = reports.sorted { $0.name < $1.name }
        let layout = Layout(sorted)
        var out = CSV.row(
            ["student", "status", "total", "max"] + layout.exercises + layout.checks.map(\.id) + ["flags", "message"]
                .map { CSV.cell($0) })
        out += CSV.row(
            [CSV.cell("points possible"), "", Points.format(layout.maxPoints), Points.format(layout.maxPoints)]
                + layout.exercises.map { Points.format(layout.exerciseMax($0)) }
                + layout.checks.map { Points.format($0.points) } + ["", ""])
        for student in sorted {
            var cells = [CSV.cell(student.name), student.status.rawValue]
            if let report = student.report {
                let byID = Dictionary(report.results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                cells += [Points.format(report.pointsEarned), Points.format(max(report.totalPointsPossible, 0))]
                cells += layout.exercises.map { exercise in
                    let inExercise = report.results.filter { $0.exercise == exercise }
                    return inExercise.isEmpty ? "" : Points.format(Points.sum(inExercise.map(\.pointsEarned)))
                }
                cells += layout.checks.map { byID[$0.id].map { Points.format($0.pointsEarned) } ?? "" }
                let flags = report.results.flatMap { r in r.flags.map { "\(r.id): \($0)" } }
                cells.append(CSV.cell(flags.joined(separator: "; ")))
            } else {
                cells += ["0", Points.format(layout.maxPoints)]
                cells += Array(repeating: "", count: layout.exercises.count + layout.checks.count)
                cells.append("")
            }
            cells.append(CSV.cell(student.message))
            out += CSV.row(cells)
        }
        return out
    }
}
