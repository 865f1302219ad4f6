import Foundation
import BelayGrading

extension Route019Checks {
    static let restartHint = "In Jupyter choose Kernel > Restart & Run All, check that every cell finishes, save, and hand in the notebook and the files it wrote."

    static let notebook: [String: CheckImplementation<Route019Context>] = [
        "nb.ran_in_order": { context, _ in
            guard let facts = context.submission.notebook else { return .notApplicable("no notebook was handed in") }
            let counts = facts.executionCounts
            guard !counts.isEmpty else { return .fail("\(facts.fileName) has no code cells", hint: restartHint) }
            if let never = counts.first(where: { $0.count == nil }) {
                let n = counts.filter { $0.count == nil }.count
                return .fail(
                    "\(plural(n, "code cell")) of \(facts.fileName) never ran (the first is cell \(never.cell))",
                    hint: restartHint)
            }
            let values = counts.compactMap(\.count)
            let expected = Array(1...values.count)
            if values == expected {
                return .pass("\(plural(values.count, "code cell")) ran once each, in order, from a fresh kernel")
            }
            var problems: [String] = []
            if values.first != 1 { problems.append("the first code cell has execution count \(values[0]), not 1: the kernel was not fresh") }
            for i in 1..<values.count where values[i] <= values[i - 1] {
                problems.append("cell \(counts[i].cell) ran before cell \(counts[i - 1].cell) (counts \(values[i]) after \(values[i - 1]))")
                if problems.count >= 5 { break }
            }
            if problems.isEmpty {
                problems.append("execution counts \(listSome(values.map(String.init), limit: 8)) skip numbers: some cells ran more than once or were deleted after running")
            }
            return .fail(
                "\(facts.fileName) was not run top to bottom from a fresh kernel", details: problems.joined(separator: "\n"),
                hint: restartHint)
        },

        "nb.no_errors": { context, _ in
            guard let facts = context.submission.notebook else { return .notApplicable("no notebook was handed in") }
            if facts.errors.isEmpty { return .pass("no cell ended in an error") }
            let shown = facts.errors.prefix(5).map { "cell \($0.cell): \($0.name): \($0.value.prefix(200))" }
            return .fail(
                "\(plural(facts.errors.count, "cell")) of \(facts.fileName) ended in an error",
                details: shown.joined(separator: "\n"),
                hint: "Fix the error, then " + restartHint.prefix(1).lowercased() + restartHint.dropFirst())
        },

        "nb.figures_agree": { context, _ in
            guard let facts = context.submission.notebook else { return .notApplicable("no notebook was handed in") }
            let figures: [(metric: String, keywords: [String])] = [
                ("leakage_accuracy", ["leak"]), ("random_split_accuracy", ["random"]),
                ("clustered_split_accuracy", ["cluster"]),
            ]
            var compared: [String] = []
            var disagreements: [String] = []
            for figure in figures {
                guard case .success(let value) = metric(context, figure.metric) else { continue }
                var candidateLines: [(cell: Int, line: String)] = []
                for (cell, text) in facts.printed {
                    for line in text.split(whereSeparator: \.isNewline) {
                        let l = line.lowercased()
                        if l.contains("acc") && figure.keywords.contains(where: { l.contains($0) }) {
                            candidateLines.append((cell, String(line)))
                        }
                    }
                }
                guard !candidateLines.isEmpty else { continue }
                compared.append(figure.metric)
                let matches = candidateLines.contains { candidate in
                    printedNumbers(candidate.line).contains { agrees(printed: $0, value: value) }
                }
                if !matches {
                    let shown = candidateLines.prefix(2).map { "cell \($0.cell): \($0.line.prefix(120))" }.joined(separator: " | ")
                    disagreements.append("\(context.names.metrics) has \(figure.metric) = \(value), but the notebook printed: \(shown)")
                }
            }
            if compared.isEmpty {
                return .pass("the notebook printed no labelled accuracy to compare with \(context.names.metrics)")
            }
            if disagreements.isEmpty {
                return .pass("printed figures agree with \(context.names.metrics) (\(compared.joined(separator: ", ")))")
            }
            return .fail(
                "figures printed in \(facts.fileName) disagree with \(context.names.metrics)", details: disagreements.joined(separator: "\n"),
                hint: "\(context.names.metrics) must come from the same run as the notebook's outputs. " + restartHint)
        },
    ]

    /// Decimal numbers in a line, with how many decimals they were printed with ("0.734" → (0.734, 3); "73.4%" → (0.734, 3)).
    static func printedNumbers(_ line: String) -> [(value: Double, decimals: Int)] {
        var out: [(Double, Int)] = []
        let chars = Array(line)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber else {
                i += 1
                continue
            }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "." { j += 1 }
            let token = String(chars[i..<j]).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let isPercent = j < chars.count && chars[j] == "%"
            if let v = Double(token) {
                let decimals = token.split(separator: ".").dropFirst().first?.count ?? 0
                out.append(isPercent ? (v / 100, decimals + 2) : (v, decimals))
            }
            i = j
        }
        return out
    }

    /// Whether a printed number is `value` rounded to the printed precision (at least 2 decimals are required,
    /// except for a value printed exactly, such as `1.0`).
    static func agrees(printed: (value: Double, decimals: Int), value: Double) -> Bool {
        // Python prints an exact 1.0 (a perfect leakage accuracy) with one decimal, however it was rounded.
        if printed.decimals >= 1, printed.value == value { return true }
        guard printed.decimals >= 2 else { return false }
        let unit = pow(10.0, -Double(printed.decimals))
        return abs(printed.value - value) <= unit * 0.5 + 1e-9
    }
}
