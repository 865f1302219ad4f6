import BelayChecksum
public import Foundation
import BelayFormats
import BelayLab
import BelayData
import BelayRoute

extension Route019Submission {
    /// Reads a CSV-route submission folder (the files a notebook writes).
    ///
    /// Never throws: every unreadable or missing file becomes an `Artefact` whose problem the checks report.
    /// File names are matched case-insensitively; when the files sit in a single sub-folder (a zipped folder),
    /// that folder is used.
    public static func load(directory: URL, name: String) -> Route019Submission {
        let root = locateRoot(directory)
        let files = listFiles(root)
        func find(_ fileName: String) -> URL? {
            files.first { $0.lastPathComponent.lowercased() == fileName }
        }
        func table(_ fileName: String) -> Artefact<CSVTable> {
            switch SubmissionFiles.readCSV(find(fileName), maxBytes: maxFileBytes) {
            case .table(let table): return .present(table)
            case .absent(let message, let fix): return .absent(Problem(location: fileName, message: message, fix: fix))
            case .invalid(let message, let fix): return .invalid(Problem(location: fileName, message: message, fix: fix))
            }
        }

        // The reflection is filled in below, from reflection.md or the notebook.
        var submission = fromTables(name: name, directory: root, table)

        let notebooks = files.filter { $0.pathExtension.lowercased() == "ipynb" && !$0.path.contains(".ipynb_checkpoints") }
        var notebook: Notebook?
        var notebookProblem: Problem?
        if let first = notebooks.first, let size = fileSize(first), size > maxFileBytes {
            notebookProblem = Problem(
                location: first.lastPathComponent, message: "is \(size >> 20) MiB; Belay reads notebooks up to \(maxFileBytes >> 20) MiB",
                fix: "Clear large outputs (plots, printed tables) before saving, then hand it in again.")
        } else if let first = notebooks.first {
            do {
                let parsed = try Notebook.parse(Data(contentsOf: first), fileName: first.lastPathComponent)
                notebook = parsed
                submission.notebook = notebookFacts(parsed, fileName: first.lastPathComponent)
            } catch {
                notebookProblem = Problem(
                    location: first.lastPathComponent, message: "is not a readable Jupyter notebook: \(error)",
                    fix: "Save the notebook from Jupyter (File > Save) and hand in the .ipynb file itself.")
            }
        }
        if let url = find(FileName.reflection), let size = fileSize(url), size > maxFileBytes {
            submission.reflection = .invalid(
                Problem(location: FileName.reflection, message: "is \(size >> 20) MiB", fix: "Four short answers are enough."))
        } else if let url = find(FileName.reflection) {
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                submission.reflection = .present(Reflection(answers: reflectionAnswers(markdown: text), source: FileName.reflection))
            } else {
                submission.reflection = .invalid(
                    Problem(location: FileName.reflection, message: "is not UTF-8 text", fix: "Save it as UTF-8 Markdown."))
            }
        } else if let notebook {
            let cells = notebook.cells.filter { $0.kind == .markdown }
            var answers: [Int: String] = [:]
            for cell in cells {
                for (q, text) in reflectionAnswers(markdown: cell.source) where answers[q] == nil { answers[q] = text }
            }
            submission.reflection = .present(
                Reflection(answers: answers, source: submission.notebook?.fileName ?? "notebook"))
        } else if let notebookProblem {
            submission.reflection = .invalid(notebookProblem)
        } else {
            submission.reflection = .absent(
                Problem(
                    location: FileName.reflection, message: "is missing (and no notebook was handed in)",
                    fix: "Write the four answers in reflection.md under headings `## Q1` … `## Q4`, or in markdown cells of your notebook that start with those headings."
                ))
        }
        return submission
    }

    /// A CSV submission from its five tables (`table` gives each file's, by name), the reflection still to find.
    static func fromTables(name: String, directory: URL?, _ table: (String) -> Artefact<CSVTable>) -> Route019Submission {
        Route019Submission(
            name: name, directory: directory, kind: "csv", features: parseFeatures(table(FileName.features)),
            encoding: parseEncoding(table(FileName.labelEncoding)), clusters: parseClusters(table(FileName.clusters)),
            splits: parseSplits(table(FileName.splits)), metrics: parseMetrics(table(FileName.metrics)),
            reflection: .absent(Problem(location: FileName.reflection, message: "is missing")), notebook: nil,
            sha256: "")
    }

    /// The largest file Belay reads from a submission (a CSV of the course's size is well under 1 MiB).
    public static let maxFileBytes = 64 << 20

    static func fileSize(_ url: URL) -> Int? { SubmissionFiles.fileSize(url) }

    /// The folder holding the files: `directory`, or its only sub-folder when `directory` holds no CSV, Markdown,
    /// notebook or Swift package itself (``SubmissionFiles/root(of:isSubmissionFile:)``).
    static func locateRoot(_ directory: URL) -> URL {
        SubmissionFiles.root(of: directory) { e in
            let l = e.lowercased()
            return l.hasSuffix(".csv") || l.hasSuffix(".md") || l.hasSuffix(".ipynb") || e == "Package.swift"
        }
    }

    /// Regular files directly in `root`, sorted by name (symbolic links are not followed).
    static func listFiles(_ root: URL) -> [URL] { SubmissionFiles.regularFiles(in: root) }

    // MARK: - Files

    static func missingColumnProblem(_ file: String, _ columns: [String], table: CSVTable) -> Problem {
        Problem(location: file, message: MissingColumn(names: columns, header: table.header).description, fix: MissingColumn.fix)
    }

    static func parseFeatures(_ artefact: Artefact<CSVTable>) -> Artefact<FeatureTable> {
        let file = FileName.features
        guard case .present(let t) = artefact else { return rethrow(artefact) }
        guard let idColumn = t.columnIndex("protein_id") else {
            return .invalid(missingColumnProblem(file, ["protein_id"], table: t))
        }
        guard let locationColumn = t.columnIndex("location") else {
            return .invalid(missingColumnProblem(file, ["location"], table: t))
        }
        let featureNames = ["length"] + AminoAcids.standard.map(String.init)
        let featureColumns = featureNames.map { t.columnIndex($0) }
        let missing = zip(featureNames, featureColumns).filter { $0.1 == nil }.map(\.0)
        let known = Set(["protein_id", "location"] + featureNames.map { $0.lowercased() })
        let extra = t.header.filter { !known.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
        var rows: [FeatureRow] = []
        var problems: [Problem] = []
        var badCount = 0
        for (r, fields) in t.rows.enumerated() {
            let line = t.lineNumbers[r]
            func field(_ c: Int) -> String { c < fields.count ? fields[c].trimmingWhitespace : "" }
            var values: [Int?] = []
            for (name, column) in zip(featureNames, featureColumns) {
                guard let column else {
                    values.append(nil)
                    continue
                }
                let text = field(column)
                if let v = parseCount(text) {
                    values.append(v)
                } else {
                    values.append(nil)
                    badCount += 1
                    if problems.count < 5 {
                        problems.append(
                            Problem(
                                location: "\(file) line \(line), column `\(name)`",
                                message: text.isEmpty ? "is empty" : "is `\(text.prefix(40))`, not a non-negative whole number",
                                fix: "Counts and lengths are whole numbers of residues; write them without decimals or NaN."))
                    }
                }
            }
            rows.append(FeatureRow(id: field(idColumn), location: field(locationColumn), values: values, line: line))
        }
        return .present(
            FeatureTable(rows: rows, missingColumns: missing, cellProblems: problems, badCellCount: badCount, extraColumns: extra))
    }

    /// A whole, non-negative number ("12", "12.0", " 12 "), else nil.
    static func parseCount(_ text: String) -> Int? {
        if let v = Int(text), v >= 0 { return v }
        if let d = Double(text), d.isFinite, d >= 0, d == d.rounded(), d < 1e9 { return Int(d) }
        return nil
    }

    static func parseEncoding(_ artefact: Artefact<CSVTable>) -> Artefact<EncodingTable> {
        guard case .present(let t) = artefact else { return rethrow(artefact) }
        guard let l = t.columnIndex("location") else {
            return .invalid(missingColumnProblem(FileName.labelEncoding, ["location"], table: t))
        }
        guard let c = t.columnIndex("code") else {
            return .invalid(missingColumnProblem(FileName.labelEncoding, ["code"], table: t))
        }
        return .present(
            EncodingTable(
                pairs: t.rows.enumerated().map { r, f in
                    (cell(f, l), cell(f, c), t.lineNumbers[r])
                }))
    }

    static func parseClusters(_ artefact: Artefact<CSVTable>) -> Artefact<ClusterTable> {
        guard case .present(let t) = artefact else { return rethrow(artefact) }
        guard let i = t.columnIndex("protein_id") else {
            return .invalid(missingColumnProblem(FileName.clusters, ["protein_id"], table: t))
        }
        guard let c = t.columnIndex("cluster_id") ?? t.columnIndex("cluster") else {
            return .invalid(missingColumnProblem(FileName.clusters, ["cluster_id"], table: t))
        }
        return .present(ClusterTable(rows: t.rows.enumerated().map { r, f in (cell(f, i), cell(f, c), t.lineNumbers[r]) }))
    }

    static func parseSplits(_ artefact: Artefact<CSVTable>) -> Artefact<SplitTable> {
        guard case .present(let t) = artefact else { return rethrow(artefact) }
        guard let i = t.columnIndex("protein_id") else {
            return .invalid(missingColumnProblem(FileName.splits, ["protein_id"], table: t))
        }
        guard let r = t.columnIndex("random_split") else {
            return .invalid(missingColumnProblem(FileName.splits, ["random_split"], table: t))
        }
        guard let c = t.columnIndex("clustered_split") else {
            return .invalid(missingColumnProblem(FileName.splits, ["clustered_split"], table: t))
        }
        return .present(
            SplitTable(
                rows: t.rows.enumerated().map { n, f in
                    (cell(f, i), cell(f, r).lowercased(), cell(f, c).lowercased(), t.lineNumbers[n])
                }))
    }

    static func parseMetrics(_ artefact: Artefact<CSVTable>) -> Artefact<MetricTable> {
        guard case .present(let t) = artefact else { return rethrow(artefact) }
        guard let n = t.columnIndex("name") ?? t.columnIndex("metric") else {
            return .invalid(missingColumnProblem(FileName.metrics, ["name"], table: t))
        }
        guard let v = t.columnIndex("value") else {
            return .invalid(missingColumnProblem(FileName.metrics, ["value"], table: t))
        }
        var values: [String: (text: String, line: Int)] = [:]
        for (r, f) in t.rows.enumerated() {
            let name = cell(f, n).lowercased()
            if values[name] == nil { values[name] = (cell(f, v), t.lineNumbers[r]) }
        }
        return .present(MetricTable(values: values))
    }

    static func cell(_ fields: [String], _ column: Int) -> String {
        column < fields.count ? fields[column].trimmingWhitespace : ""
    }

    static func rethrow<T, U>(_ artefact: Artefact<T>) -> Artefact<U> {
        switch artefact {
        case .absent(let p): return .absent(p)
        case .invalid(let p): return .invalid(p)
        case .present: return .invalid(Problem(location: "", message: "internal: unexpected state"))
        }
    }

    // MARK: - Reflection

    /// Answers under headings `## Q1` … `## Q4` (``MarkdownAnswers``: any heading level or a bold line; "Q1",
    /// "Q 1", "Question 1" all count; template comments removed).
    public static func reflectionAnswers(markdown: String) -> [Int: String] {
        MarkdownAnswers.answers(markdown: markdown, questions: 1...4)
    }

    /// The text without HTML comments (``MarkdownAnswers/strippingComments(_:)``).
    public static func strippingComments(_ text: String) -> String { MarkdownAnswers.strippingComments(text) }

    // MARK: - Notebook

    static func notebookFacts(_ notebook: Notebook, fileName: String) -> NotebookFacts {
        var counts: [(cell: Int, count: Int?)] = []
        var errors: [(cell: Int, name: String, value: String)] = []
        var printed: [(cell: Int, text: String)] = []
        for (i, cell) in notebook.cells.enumerated() where cell.kind == .code {
            let hasCode = !cell.source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if hasCode { counts.append((i + 1, cell.executionCount)) }
            var text = ""
            for output in cell.outputs {
                switch output {
                case .stream(let name, let t): if name == "stdout" { text += t }
                case .executeResult(_, let t): text += t + "\n"
                case .displayData(let t): text += t + "\n"
                case .error(let ename, let evalue, _): errors.append((i + 1, ename, evalue))
                }
            }
            if !text.isEmpty { printed.append((i + 1, text)) }
        }
        return NotebookFacts(fileName: fileName, executionCounts: counts, errors: errors, printed: printed)
    }
}

/// The contract's file names (shared with the reference writer).
typealias FileName = Route019Reference.FileName

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation's bridging when there is nothing to trim (the
    /// usual CSV cell: it starts and ends with a printable ASCII character), which is most of the cost of reading
    /// a features.csv of thousands of cells.
    var trimmingWhitespace: String { trimming(.whitespaces) }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, with the same fast path as ``trimmingWhitespace``.
    var trimmingWhitespaceAndNewlines: String { trimming(.whitespacesAndNewlines) }

    /// `trimmingCharacters(in: set)` for a set of white space, skipped when the string starts and ends with a
    /// printable ASCII character (none of which is white space).
    /// (The set is made only when needed: Foundation builds it anew each time, bridged, which cost more than the
    /// rest of reading a features.csv cell.)
    private func trimming(_ set: @autoclosure () -> CharacterSet) -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
        return plain(first) && plain(last) ? self : trimmingCharacters(in: set())
    }
}
