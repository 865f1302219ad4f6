import BelayFormats
import BelayRoute
public import Foundation

extension Route020Submission {
    /// The largest file Belay reads from a submission (the course's noisy labels are well under 1 MiB).
    public static let maxFileBytes = 32 << 20

    /// The noise rates of the exercise: 0, 5, 10, … 45 %.
    public static let rateGrid: [Double] = (0..<10).map { Double($0) / 20 }

    /// Reads a submission folder. Never throws: every missing or unusable file becomes a problem the checks report.
    ///
    /// File names are matched case-insensitively; when the folder holds no CSV itself but one sub-folder, that
    /// sub-folder is read (a zipped folder).
    public static func load(directory: URL, name: String) -> Route020Submission {
        let root = SubmissionFiles.root(of: directory) { $0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".md") }
        let files = SubmissionFiles.regularFiles(in: root)
        func find(_ fileName: String) -> URL? { files.first { $0.lastPathComponent.lowercased() == fileName } }

        func read(_ fileName: String) -> SubmittedFile<CSVTable> {
            switch SubmissionFiles.readCSV(find(fileName), maxBytes: maxFileBytes) {
            case .table(let table): return .present(table)
            case .absent(let message, let fix): return .absent(FileProblem(location: fileName, message: message, fix: fix))
            case .invalid(let message, let fix): return .invalid(FileProblem(location: fileName, message: message, fix: fix))
            }
        }

        var reflection: SubmittedFile<ReflectionAnswers>
        if let url = find(FileName.reflection) {
            if let size = SubmissionFiles.fileSize(url), size > maxFileBytes {
                reflection = .invalid(
                    FileProblem(location: FileName.reflection, message: "is \(size >> 20) MiB", fix: "Three short answers are enough."))
            } else if let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) {
                reflection = .present(ReflectionAnswers(answers: reflectionAnswers(markdown: text), source: FileName.reflection))
            } else {
                reflection = .invalid(
                    FileProblem(location: FileName.reflection, message: "is not UTF-8 text", fix: "Save it as UTF-8 Markdown."))
            }
        } else {
            reflection = .absent(
                FileProblem(
                    location: FileName.reflection, message: "is missing",
                    fix: "Write the three answers in reflection.md under headings `## Q1`, `## Q2`, `## Q3`."))
        }
        return Route020Submission(
            name: name, kind: "csv", split: parseSplit(read(FileName.split)),
            noisyLabels: parseNoisyLabels(read(FileName.noisyLabels)), curve: parseCurve(read(FileName.curve)),
            setup: parseSetup(read(FileName.setup)), reflection: reflection, sha256: "")
    }

    // MARK: - Files

    /// The names each column may go by, the documented one (the exercise's file table) first.
    enum Column {
        static let proteinID = ["protein_id", "id", "entry"]
        static let side = ["split", "set", "side"]
        static let rate = ["noise_rate", "rate", "noise"]
        static let label = ["label", "noisy_label", "location"]
        static let accuracy = ["accuracy", "test_accuracy", "acc"]
        static let setting = ["setting", "key", "name"]
        static let value = ["value"]
    }

    /// `table`'s columns, each by the names it may go by (the documented one first), or the problem that makes
    /// `file` unusable: the first column it lacks.
    static func columns(_ table: CSVTable, of file: String, _ wanted: [String]...) throws(FileProblem) -> [Int] {
        do {
            return try table.columnIndices(wanted)
        } catch {
            throw FileProblem(location: file, message: error.description, fix: MissingColumn.fix)
        }
    }

    static func passOn<A, B>(_ file: SubmittedFile<A>) -> SubmittedFile<B> {
        switch file {
        case .absent(let p): return .absent(p)
        case .invalid(let p): return .invalid(p)
        case .present: preconditionFailure("passOn is for unusable files")
        }
    }

    /// How many row problems a file keeps for its report (the count goes on).
    static let keptRowProblems = 20

    static func parseSplit(_ file: SubmittedFile<CSVTable>) -> SubmittedFile<SplitFile> {
        let name = FileName.split
        guard case .present(let t) = file else { return passOn(file) }
        let c: [Int]
        do { c = try columns(t, of: name, Column.proteinID, Column.side) } catch { return .invalid(error) }
        let (idColumn, sideColumn) = (c[0], c[1])
        var out = SplitFile(rows: [], badRows: [], badRowCount: 0)
        for (r, row) in t.rows.enumerated() {
            let line = t.lineNumbers[r]
            let id = (t.value(row: r, column: idColumn) ?? "").trimmingCharacters(in: .whitespaces)
            let side = (t.value(row: r, column: sideColumn) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let isTest: Bool
            switch side {
            case "test", "testing", "held-out", "heldout": isTest = true
            case "train", "training": isTest = false
            default:
                out.badRowCount += 1
                if out.badRows.count < keptRowProblems {
                    out.badRows.append(RowProblem(line: line, message: "split is `\(side)`, not `train` or `test`"))
                }
                continue
            }
            if id.isEmpty {
                out.badRowCount += 1
                if out.badRows.count < keptRowProblems { out.badRows.append(RowProblem(line: line, message: "the protein_id is empty")) }
                continue
            }
            out.rows.append((id, isTest, line))
        }
        if out.rows.isEmpty, out.badRowCount == 0 {
            return .invalid(FileProblem(location: name, message: "has a header but no rows", fix: "Write one row per cleaned protein."))
        }
        return .present(out)
    }

    /// A noise rate as a share: `0.05`, `5%`; `nil` when it is not a finite number.
    static func share(_ text: String) -> (value: Double, percent: Bool)? {
        var t = text.trimmingCharacters(in: .whitespaces)
        var percent = false
        if t.hasSuffix("%") {
            percent = true
            t = String(t.dropLast()).trimmingCharacters(in: .whitespaces)
        }
        guard let v = Double(t), v.isFinite else { return nil }
        return (percent ? v / 100 : v, percent)
    }

    /// Whether rates written as whole numbers 0, 5, … 45 (percentages without the sign) are meant: every rate is
    /// one of them and at least one exceeds 1. Read so, they are divided by 100.
    static func ratesLookLikePercent(_ values: [Double]) -> Bool {
        guard let largest = values.max(), largest > 1 else { return false }
        return values.allSatisfy { v in v >= 0 && v <= 100 && (v / 5).rounded() * 5 == v }
    }

    static func parseNoisyLabels(_ file: SubmittedFile<CSVTable>) -> SubmittedFile<NoisyLabelsFile> {
        let name = FileName.noisyLabels
        guard case .present(let t) = file else { return passOn(file) }
        let c: [Int]
        do { c = try columns(t, of: name, Column.rate, Column.proteinID, Column.label) } catch { return .invalid(error) }
        let (rateColumn, idColumn, labelColumn) = (c[0], c[1], c[2])
        var parsed: [(rate: Double, id: String, label: String, line: Int)] = []
        var out = NoisyLabelsFile(rates: [], badRows: [], badRowCount: 0, ratesInPercent: false)
        func bad(_ line: Int, _ message: String) {
            out.badRowCount += 1
            if out.badRows.count < keptRowProblems { out.badRows.append(RowProblem(line: line, message: message)) }
        }
        var anyPercentSign = false
        for r in t.rows.indices {
            let line = t.lineNumbers[r]
            let rateText = t.value(row: r, column: rateColumn) ?? ""
            let id = (t.value(row: r, column: idColumn) ?? "").trimmingCharacters(in: .whitespaces)
            let label = Route020Text.normalizedLabel(t.value(row: r, column: labelColumn) ?? "")
            if rateText.trimmingCharacters(in: .whitespaces).isEmpty, id.isEmpty, label.isEmpty { continue }
            guard let rate = share(rateText) else {
                bad(line, "noise_rate is `\(rateText)`, not a finite number")
                continue
            }
            anyPercentSign = anyPercentSign || rate.percent
            guard !id.isEmpty else {
                bad(line, "the protein_id is empty")
                continue
            }
            guard !label.isEmpty else {
                bad(line, "the label of `\(id)` is empty")
                continue
            }
            parsed.append((rate.value, id, label, line))
        }
        let percent = !anyPercentSign && ratesLookLikePercent(parsed.map(\.rate))
        out.ratesInPercent = percent
        var index: [Double: Int] = [:]
        for row in parsed {
            let rate = percent ? row.rate / 100 : row.rate
            let key = Route020Text.rateKey(rate)
            let i: Int
            if let known = index[key] {
                i = known
            } else {
                i = out.rates.count
                index[key] = i
                out.rates.append(NoisyLabelsFile.Rate(rate: rate, labels: [:], duplicates: []))
            }
            if out.rates[i].labels[row.id] != nil {
                if out.rates[i].duplicates.count < keptRowProblems { out.rates[i].duplicates.append((row.id, row.line)) }
                continue
            }
            out.rates[i].labels[row.id] = (row.label, row.line)
        }
        if out.rates.isEmpty, out.badRowCount == 0 {
            return .invalid(FileProblem(location: name, message: "has a header but no rows", fix: "Write one row per protein and noise rate."))
        }
        return .present(out)
    }

    static func parseCurve(_ file: SubmittedFile<CSVTable>) -> SubmittedFile<CurveFile> {
        let name = FileName.curve
        guard case .present(let t) = file else { return passOn(file) }
        let c: [Int]
        do { c = try columns(t, of: name, Column.rate, Column.accuracy) } catch { return .invalid(error) }
        let (rateColumn, accuracyColumn) = (c[0], c[1])
        var out = CurveFile(points: [], badRows: [], badRowCount: 0, ratesInPercent: false)
        func bad(_ line: Int, _ message: String) {
            out.badRowCount += 1
            if out.badRows.count < keptRowProblems { out.badRows.append(RowProblem(line: line, message: message)) }
        }
        var anyPercentSign = false
        for r in t.rows.indices {
            let line = t.lineNumbers[r]
            let rateText = t.value(row: r, column: rateColumn) ?? ""
            let accuracyText = t.value(row: r, column: accuracyColumn) ?? ""
            if rateText.trimmingCharacters(in: .whitespaces).isEmpty, accuracyText.trimmingCharacters(in: .whitespaces).isEmpty {
                continue
            }
            guard let rate = share(rateText) else {
                bad(line, "noise_rate is `\(rateText)`, not a finite number")
                continue
            }
            anyPercentSign = anyPercentSign || rate.percent
            guard let accuracy = share(accuracyText) else {
                bad(line, "accuracy is `\(accuracyText)`, not a finite number (NaN often means an empty test set)")
                continue
            }
            guard accuracy.value >= 0, accuracy.value <= 1 else {
                bad(line, "accuracy is `\(accuracyText)`, outside 0 to 1 (write a share such as 0.734, or `73.4%`)")
                continue
            }
            out.points.append((rate.value, accuracy.value, line))
        }
        if !anyPercentSign, ratesLookLikePercent(out.points.map(\.rate)) {
            out.ratesInPercent = true
            out.points = out.points.map { ($0.rate / 100, $0.accuracy, $0.line) }
        }
        return .present(out)
    }

    static func parseSetup(_ file: SubmittedFile<CSVTable>) -> SubmittedFile<SetupFile> {
        let name = FileName.setup
        guard case .present(let t) = file else { return passOn(file) }
        let c: [Int]
        do { c = try columns(t, of: name, Column.setting, Column.value) } catch { return .invalid(error) }
        let (keyColumn, valueColumn) = (c[0], c[1])
        var out = SetupFile(settings: [:])
        for r in t.rows.indices {
            let key = (t.value(row: r, column: keyColumn) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let value = (t.value(row: r, column: valueColumn) ?? "").trimmingCharacters(in: .whitespaces)
            if key.isEmpty || out.settings[key] != nil { continue }
            out.settings[key] = (value, t.lineNumbers[r])
        }
        return .present(out)
    }

    /// Answers under Markdown headings that name a question (`## Q1`, `### Q2: …`, `**Q3**`), keyed by number
    /// (``MarkdownAnswers``, as every route reads a reflection: template comments are not answers).
    static func reflectionAnswers(markdown: String) -> [Int: String] {
        MarkdownAnswers.answers(markdown: markdown, questions: 1...9)
    }
}
