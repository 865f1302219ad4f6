public import BelayGrading
import Foundation

/// Per-check statistics over a class: how many students passed, failed, errored or were skipped, the pass
/// rate and the mean points, to find checks that are too hard, broken or ambiguous.
public enum ItemAnalysis {
    /// Statistics of one check.
    public struct Item: Sendable, Equatable {
        public var id: String
        public var exercise: String
        public var title: String
        public var visibility: Visibility
        public var pointsPossible: Double
        /// Graded students whose report contains the check.
        public var attempted: Int
        public var passed: Int
        public var failed: Int
        public var errors: Int
        public var skipped: Int
        /// Mean points earned over `attempted`.
        public var meanPoints: Double
        /// `passed / attempted` (0 when nobody attempted).
        public var passRate: Double { attempted == 0 ? 0 : Double(passed) / Double(attempted) }
    }

    /// The items in rubric order; only graded students count.
    /// - Complexity: O(students x checks).
    public static func items(_ results: [StudentResult]) -> [Item] {
        var items: [Item] = []
        var index: [String: Int] = [:]
        var sums: [Double] = []
        for report in results.sorted(by: { $0.name < $1.name }).compactMap(\.report) {
            for r in report.results {
                let i: Int
                if let existing = index[r.id] {
                    i = existing
                } else {
                    i = items.count
                    index[r.id] = i
                    items.append(
                        Item(
                            id: r.id, exercise: r.exercise, title: r.title, visibility: r.visibility,
                            pointsPossible: r.pointsPossible, attempted: 0, passed: 0, failed: 0, errors: 0, skipped: 0,
                            meanPoints: 0))
                    sums.append(0)
                }
                items[i].attempted += 1
                sums[i] += r.pointsEarned
                switch r.outcome {
                case .passed: items[i].passed += 1
                case .failed: items[i].failed += 1
                case .error: items[i].errors += 1
                case .skipped: items[i].skipped += 1
                }
            }
        }
        for i in items.indices where items[i].attempted > 0 {
            items[i].meanPoints = Points.clean(sums[i] / Double(items[i].attempted))
        }
        return items
    }

    static func rate(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// CSV: `check, exercise, title, visibility, points_possible, attempted, passed, failed, errors, skipped,
    /// pass_rate, mean_points`.
    public static func render(_ results: [StudentResult]) -> String {
        var out = CSV.row(
            ["check", "exercise", "title", "visibility", "points_possible", "attempted", "passed", "failed", "errors",
             "skipped", "pass_rate", "mean_points"])
        for item in items(results) {
            out += CSV.row(
                [CSV.cell(item.id), CSV.cell(item.exercise), CSV.cell(item.title), item.visibility.rawValue,
                 Points.format(item.pointsPossible), String(item.attempted), String(item.passed), String(item.failed),
                 String(item.errors), String(item.skipped), rate(item.passRate), Points.format(item.meanPoints)])
        }
        return out
    }

    /// A Markdown table of the same numbers, hardest checks (lowest pass rate) first.
    public static func renderMarkdown(_ results: [StudentResult]) -> String {
        var out = "| check | exercise | pass rate | mean points | passed | failed | errors | skipped |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|\n"
        let ordered = items(results).enumerated().sorted {
            $0.element.passRate != $1.element.passRate ? $0.element.passRate < $1.element.passRate : $0.offset < $1.offset
        }
        for (_, item) in ordered {
            let id = item.id.replacingOccurrences(of: "|", with: "\\|")
            out += "| \(id) | \(item.exercise) | \(rate(item.passRate)) | "
                + "\(Points.format(item.meanPoints))/\(Points.format(item.pointsPossible)) | \(item.passed) | "
                + "\(item.failed) | \(item.errors) | \(item.skipped) |\n"
        }
        return out
    }
}
