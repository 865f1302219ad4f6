import BelayData
import BelayGrading
import BelayLab

extension Route019Checks {
    static let exercise0: [String: CheckImplementation<Route019Context>] = [
        "ex0.features.readable": { context, _ in
            switch context.submission.features {
            case .present(let table):
                if table.rows.isEmpty {
                    return .fail(
                        "\(context.names.features) has no rows: no protein kept a clean label",
                        hint: "Keep one row per protein whose location text cleans to exactly one class; if none does, check the cleaning.")
                }
                return .pass("\(context.names.features) has \(plural(table.rows.count, "row"))")
            case .absent(let p), .invalid(let p):
                return unusable(p)
            }
        },

        "ex0.features.columns": { context, _ in
            guard let table = context.submission.features.value else { return .error("\(context.names.features) is not usable") }
            if table.missingColumns.isEmpty && table.badCellCount == 0 {
                return .pass("all 21 feature columns present; every value is a whole number")
            }
            var details: [String] = []
            if !table.missingColumns.isEmpty {
                details.append(
                    "Missing feature columns: " + table.missingColumns.map { "`\($0)`" }.joined(separator: ", "))
            }
            if table.badCellCount > 0 {
                details.append("\(plural(table.badCellCount, "cell")) are not non-negative whole numbers; the first:")
                details.append(contentsOf: table.cellProblems.map { "  - \($0.location) \($0.message)" })
            }
            if !table.extraColumns.isEmpty {
                details.append("(Extra columns are fine and ignored: \(listSome(table.extraColumns)).)")
            }
            let message =
                table.missingColumns.isEmpty
                ? "\(plural(table.badCellCount, "feature cell")) in \(context.names.features) are not whole numbers"
                : "\(context.names.features) lacks \(plural(table.missingColumns.count, "feature column"))"
            return .fail(
                message, details: details.joined(separator: "\n"),
                hint:
                    "The 21 features are `length` plus one count column per standard amino acid, named by its one-letter code: A C D E F G H I K L M N P Q R S T V W Y."
            )
        },

        "ex0.features.ids": { context, _ in
            guard let table = context.submission.features.value else { return .error("\(context.names.features) is not usable") }
            let known = context.reference.sheetIDs
            var seen: [String: Int] = [:]
            var duplicates: [String] = []
            var unknown: [String] = []
            var empty: [Int] = []
            for row in table.rows {
                if row.id.isEmpty {
                    empty.append(row.line)
                    continue
                }
                if let first = seen[row.id] {
                    duplicates.append("`\(row.id)` (lines \(first) and \(row.line))")
                } else {
                    seen[row.id] = row.line
                }
                if !known.contains(row.id) { unknown.append("`\(row.id)` (line \(row.line))") }
            }
            if duplicates.isEmpty && unknown.isEmpty && empty.isEmpty {
                return .pass("all \(plural(seen.count, "protein id")) are known, none repeated")
            }
            var parts: [String] = []
            var details: [String] = []
            if !unknown.isEmpty {
                parts.append("\(plural(unknown.count, "unknown id"))")
                details.append("Ids that are not in the dataset's sheet: \(listSome(unknown))")
            }
            if !duplicates.isEmpty {
                parts.append("\(plural(duplicates.count, "repeated id"))")
                details.append("Ids that appear more than once: \(listSome(duplicates))")
            }
            if !empty.isEmpty {
                parts.append("\(plural(empty.count, "row")) without an id")
                details.append("Rows with an empty protein_id: lines \(listSome(empty.map(String.init)))")
            }
            return .fail(
                "\(context.names.features) has " + parts.joined(separator: ", "), details: details.joined(separator: "\n"),
                hint:
                    "Use the sheet's `Entry` column unchanged as protein_id (no added prefixes, no trimmed versions), and keep one row per protein."
            )
        },

        "ex0.features.values": { context, spec in
            guard let table = context.submission.features.value else { return .error("\(context.names.features) is not usable") }
            let showRows = try spec.int("show_rows", default: 5)
            let names = ["length"] + AminoAcids.standard.map(String.init)
            var compared = 0
            var wrongRows: [String] = []
            var lengthOffsets: [Int: Int] = [:]
            var wrongColumnCounts = [Int](repeating: 0, count: 21)
            for row in table.rows {
                guard let expected = context.reference.featuresOfSheetProtein(row.id) else { continue }
                compared += 1
                let want = [expected.length] + expected.counts
                var differences: [String] = []
                for (c, value) in row.values.enumerated() {
                    guard let value, value != want[c] else { continue }
                    wrongColumnCounts[c] += 1
                    differences.append("\(names[c]) \(value) (expected \(want[c]))")
                    if c == 0 { lengthOffsets[value - want[c], default: 0] += 1 }
                }
                if !differences.isEmpty {
                    wrongRows.append("line \(row.line) `\(row.id)`: " + differences.prefix(4).joined(separator: ", "))
                }
            }
            guard compared > 0 else {
                return .fail(
                    "no row of \(context.names.features) has a protein id from the dataset, so no value could be compared",
                    hint: "Use the sheet's `Entry` column as protein_id.")
            }
            if wrongRows.isEmpty {
                return .pass("lengths and counts match the reference in all \(plural(compared, "row"))")
            }
            let correct = compared - wrongRows.count
            var details = ["\(wrongRows.count) of \(compared) rows differ; the first \(min(showRows, wrongRows.count)):"]
            details += wrongRows.prefix(showRows).map { "  - \($0)" }
            let columnSummary = zip(names, wrongColumnCounts).filter { $0.1 > 0 }.map { "\($0.0): \($0.1)" }
            details.append("Rows differing per column: " + columnSummary.joined(separator: ", "))
            var hint =
                "Length is the number of residues; count upper-case one-letter codes only after upper-casing the sequence, and ignore whitespace and a trailing stop `*`."
            if let (offset, n) = lengthOffsets.max(by: { $0.value < $1.value }), n * 2 > wrongRows.count, offset != 0 {
                hint =
                    "Most wrong lengths are off by \(offset > 0 ? "+" : "")\(offset): check whether you count a newline, whitespace or a stop `*` as a residue."
            }
            return .partial(
                Double(correct) / Double(compared),
                "\(wrongRows.count) of \(compared) rows have a length or count that differs from the reference",
                details: details.joined(separator: "\n"), hint: hint)
        },

        "ex0.labels.agree": { context, spec in
            guard let table = context.submission.features.value else { return .error("\(context.names.features) is not usable") }
            let minimum = try spec.number("min_agreement", default: 0.98)
            let showRows = try spec.int("show_rows", default: 5)
            let reference = context.reference
            let labels = reference.labelReference
            let referenceName = labels.source.phrase
            // Each row is compared with the reference label (the sheet's location column when the sheet has one);
            // where Belay's cleaning of the text says otherwise, matching the cleaning earns the credit as well.
            var compared = 0
            var disagreements: [String] = []
            var keptDropped = 0
            var credited = 0
            var confusions: [String: Int] = [:]
            for row in table.rows where reference.sheetIDs.contains(row.id) {
                guard let entry = labels.entry(row.id) else { continue }
                compared += 1
                let label = normalizedLabel(row.location)
                switch labels.credit(for: entry, label: label, raw: row.location) {
                case .reference: continue
                case .alternative:
                    credited += 1
                    continue
                case nil: break
                }
                let other = labels.alternativePhrase.map { ", \($0): \(entry.cleaningDescription)" } ?? ""
                if let expected = labels.referenceLabel(entry) {
                    disagreements.append("line \(row.line) `\(row.id)`: `\(row.location)` (reference: \(expected)\(other))")
                    confusions["\(label.isEmpty ? "(blank)" : label) for \(expected)", default: 0] += 1
                } else {
                    keptDropped += 1
                    disagreements.append(
                        "line \(row.line) `\(row.id)`: `\(row.location)` (reference drops it: \(labels.dropReason(entry))\(other))")
                }
            }
            guard compared > 0 else {
                return .fail("no row of \(context.names.features) has a known protein id", hint: "Use the sheet's `Entry` as protein_id.")
            }
            let agreement = Double(compared - disagreements.count) / Double(compared)
            var details = [
                "\(compared - disagreements.count) of \(compared) labels agree with the reference labels (\(percent(agreement)); at least \(percent(minimum)) needed).",
                "Reference: \(referenceName)."
                    + (labels.alternativePhrase.map {
                        " Where \($0) says otherwise (\(plural(labels.disagreements.count, "sheet row"))), a label matching it is accepted too: \(plural(credited, "row")) of yours earned credit that way."
                    } ?? ""),
            ]
            if keptDropped > 0 {
                details.append("\(plural(keptDropped, "row")) keep a protein that the reference drops (ambiguous, blank or no class).")
            }
            if !confusions.isEmpty {
                details.append(
                    "Disagreements: "
                        + confusions.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                        .map { "\($0.key): \($0.value)" }.joined(separator: "; "))
            }
            if !disagreements.isEmpty {
                details.append("First rows:")
                details += disagreements.prefix(showRows).map { "  - \($0)" }
            }
            let hint: String
            if labels.usesColumn {
                hint =
                    keptDropped > 0
                    ? "Use the sheet's `location` column as the label and drop the proteins where it is blank."
                    : "Use the sheet's `location` column as the label (cytoplasm, membrane or secreted), unchanged."
            } else {
                hint =
                    keptDropped > 0
                    ? "Drop proteins whose location text maps to more than one class, or to none, instead of picking one."
                    : "Map each location text to cytoplasm, membrane or secreted; ignore evidence tags like {ECO:…} and notes."
            }
            if agreement >= minimum {
                return .pass(
                    "\(percent(agreement)) of labels agree with \(referenceName)"
                        + (credited > 0 ? " (\(plural(credited, "row")) through \(labels.alternativePhrase ?? ""))" : ""),
                    details: details.joined(separator: "\n"))
            }
            return .fail(
                "only \(percent(agreement)) of labels agree with \(referenceName) (\(percent(minimum)) needed)",
                details: details.joined(separator: "\n"), hint: hint)
        },

        "ex0.labels.coverage": { context, spec in
            guard let table = context.submission.features.value else { return .error("\(context.names.features) is not usable") }
            let minimum = try spec.number("min_coverage", default: 0.98)
            let labels = context.reference.labelReference
            let present = Set(table.rows.map(\.id))
            // Coverage is measured against the labelled set the student follows: the reference's, or (when the
            // sheet has a location column) Belay's cleaning's, whichever the student's rows cover better. A protein
            // of that set that the other set drops may be missing without cost.
            var candidates: [(name: String, ids: [String])] = [(labels.source.phrase, context.reference.ids)]
            if let other = labels.alternativePhrase { candidates.append((other, labels.cleaningIDs)) }
            func covered(_ ids: [String]) -> Int { ids.reduce(0) { $0 + (present.contains($1) ? 1 : 0) } }
            var chosen = 0
            for (i, c) in candidates.enumerated().dropFirst() {
                let best = candidates[chosen]
                if Double(covered(c.ids)) / Double(max(1, c.ids.count))
                    > Double(covered(best.ids)) / Double(max(1, best.ids.count))
                {
                    chosen = i
                }
            }
            let followed = candidates[chosen]
            let otherSet = candidates.count > 1 ? Set(candidates[1 - chosen].ids) : nil
            let missingAll = followed.ids.filter { !present.contains($0) }
            let excused = otherSet.map { other in missingAll.filter { !other.contains($0) } } ?? []
            let missing = otherSet.map { other in missingAll.filter { other.contains($0) } } ?? missingAll
            let total = followed.ids.count
            let coverage = Double(total - missing.count) / Double(max(1, total))
            var details =
                "\(total - missingAll.count) of the \(total) proteins labelled by \(followed.name) are in \(context.names.features)"
                + (candidates.count > 1 ? " (the labelled set your rows follow more closely)." : ".")
            if !excused.isEmpty {
                details +=
                    " \(plural(excused.count, "missing protein")) \(excused.count == 1 ? "is" : "are") credited because \(candidates[1 - chosen].name) drops \(excused.count == 1 ? "it" : "them")."
            }
            if !missing.isEmpty { details += " Missing, for example: \(listSome(missing.map { "`\($0)`" }))" }
            if coverage >= minimum {
                return .pass("\(context.names.features) covers \(percent(coverage)) of the proteins with a label", details: details)
            }
            return .fail(
                "\(context.names.features) covers only \(percent(coverage)) of the proteins with a label (\(percent(minimum)) needed)",
                details: details,
                hint: labels.usesColumn
                    ? "Keep every protein whose `location` cell in the sheet is filled in; drop only the blank ones. Check that a filter or a merge did not lose rows."
                    : "Keep every protein whose location maps to exactly one class; drop only ambiguous and missing ones. Check that a filter or a merge did not lose rows."
            )
        },
    ]
}
