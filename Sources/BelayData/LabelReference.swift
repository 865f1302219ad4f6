public import BelayLab

// The course's label truth, shared by every route on the course's sheet: the cleaned `location` column where the
// sheet has one, Belay's cleaning of the annotation text otherwise. (Moved here from Route019 so that other routes
// read the same labels without depending on Route019.)

/// Which labels the reference uses: the course's own cleaned column when the sheet has one, else Belay's cleaning.
public enum LabelReferenceSource: Sendable, Equatable {
    /// The sheet's cleaned `location` column (blank cells are dropped proteins).
    case locationColumn
    /// Belay's cleaning (`LabelCleaner`) of the sheet's annotation text, in the given format.
    case textCleaning(BelayData.LocationSource)

    /// How reports name this source.
    public var phrase: String {
        switch self {
        case .locationColumn: return "the sheet's location column"
        case .textCleaning(let source): return Self.cleaningPhrase(source)
        }
    }

    /// "Belay's cleaning of the Subcellular location [CC] text" (or of the GO column).
    public static func cleaningPhrase(_ source: BelayData.LocationSource) -> String {
        switch source {
        case .uniprot: return "Belay's cleaning of the Subcellular location [CC] text"
        case .geneOntology: return "Belay's cleaning of the Gene Ontology (cellular component) text"
        }
    }
}

/// One sheet protein's label as the sheet's `location` column gives it and as Belay's cleaning of the text gives it.
public struct SheetLabel: Sendable, Equatable {
    /// The protein id (first sheet row of a repeated id).
    public var id: String
    /// 1-based spreadsheet row.
    public var row: Int
    /// The annotation text Belay cleans.
    public var text: String
    /// The `location` column's value, normalized (lower case, whitespace trimmed and collapsed); `nil` when the
    /// cell is blank or the sheet has no such column.
    public var column: String?
    /// Belay's cleaning of `text`.
    public var cleaning: LabelOutcome

    /// The column's value when it is one of `classes`.
    func columnLabel(classes: [String]) -> String? {
        column.flatMap { classes.contains($0) ? $0 : nil }
    }

    /// Belay's outcome as reports write it: the class, "ambiguous (membrane, secreted)" or "dropped (no class)".
    public var cleaningDescription: String {
        switch cleaning {
        case .label(let l): return l
        case .ambiguous(let classes): return "dropped (ambiguous: " + classes.joined(separator: ", ") + ")"
        case .missing: return "dropped (no term that maps to a class)"
        }
    }
}

/// The reference labels of a dataset, with both of the sheet's label sources kept per protein.
///
/// When the sheet has a `location` column it is the reference (the course tells students to use it); a blank
/// cell drops the protein, and a value outside the classes drops it too and is reported. Belay's cleaning of the
/// text is kept next to it for every protein, so checks can credit a student who followed either, and reports
/// can list every row where the two disagree. Without the column, Belay's cleaning is the reference.
public struct LabelReference: Sendable {
    /// Where the reference labels come from.
    public let source: LabelReferenceSource
    /// The format of the text Belay cleans.
    public let textSource: BelayData.LocationSource
    /// The classes of the mapping.
    public let classes: [String]
    /// Every distinct sheet protein, in sheet order (first row of a repeated id).
    public let proteins: [SheetLabel]
    private let indexByID: [String: Int]

    /// Builds the reference from the sheet's proteins and Belay's outcome for each row (same order).
    ///
    /// The column counts as present when at least one of its cells is non-blank (a sheet whose `location` column
    /// is entirely blank labels nothing, so Belay's cleaning is the useful reference there).
    /// - Complexity: O(rows).
    public init(proteins sheet: [SheetProtein], outcomes: [LabelOutcome], textSource: BelayData.LocationSource,
                classes: [String] = LocationMapping.route019.classes) {
        precondition(sheet.count == outcomes.count, "one outcome per sheet row")
        let hasColumn = sheet.contains { $0.givenLocation.map { !Self.normalize($0).isEmpty } ?? false }
        var proteins: [SheetLabel] = []
        var index: [String: Int] = [:]
        for (i, p) in sheet.enumerated() where index[p.id] == nil {
            index[p.id] = proteins.count
            let column = p.givenLocation.map(Self.normalize).flatMap { $0.isEmpty ? nil : $0 }
            proteins.append(SheetLabel(id: p.id, row: p.row, text: p.locationText, column: column, cleaning: outcomes[i]))
        }
        self.source = hasColumn ? .locationColumn : .textCleaning(textSource)
        self.textSource = textSource
        self.classes = classes
        self.proteins = proteins
        self.indexByID = index
    }

    /// The reference labels of `dataset`: Belay cleans every row's annotation text (in the dataset's format) and
    /// keeps it next to the sheet's `location` column.
    /// - Complexity: O(rows x annotation length).
    public init(dataset: CourseDataset, cleaner: LabelCleaner = LabelCleaner()) {
        let source = dataset.locationSource
        let outcomes = dataset.proteins.map { p in
            source == .uniprot ? cleaner.clean(uniprotLocation: p.locationText) : cleaner.clean(goTerms: p.locationText)
        }
        self.init(proteins: dataset.proteins, outcomes: outcomes, textSource: source, classes: cleaner.mapping.classes)
    }

    /// A column value as compared: lower case, whitespace trimmed, inner runs of whitespace as one space.
    public static func normalize(_ value: String) -> String {
        value.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether the sheet's `location` column is the reference.
    public var usesColumn: Bool { source == .locationColumn }

    /// How reports name the other source, the one that can also earn credit (`nil` without a column).
    public var alternativePhrase: String? {
        usesColumn ? LabelReferenceSource.cleaningPhrase(textSource) : nil
    }

    /// The protein's labels, if `id` is a sheet protein.
    public func entry(_ id: String) -> SheetLabel? {
        indexByID[id].map { proteins[$0] }
    }

    /// The reference label of a protein (`nil`: dropped).
    public func referenceLabel(_ p: SheetLabel) -> String? {
        usesColumn ? p.columnLabel(classes: classes) : p.cleaning.label
    }

    /// The other source's label of a protein, where it may also earn credit (`nil`: that source drops it, or there
    /// is no other source).
    public func alternativeLabel(_ p: SheetLabel) -> String? {
        usesColumn ? p.cleaning.label : nil
    }

    /// Ids with a reference label, in sheet order.
    public var referenceIDs: [String] { proteins.filter { referenceLabel($0) != nil }.map(\.id) }

    /// Ids Belay's cleaning labels, in sheet order.
    public var cleaningIDs: [String] { proteins.filter { $0.cleaning.label != nil }.map(\.id) }

    /// Ids the sheet's `location` column labels with one of the classes, in sheet order (empty without a column).
    public var columnIDs: [String] {
        usesColumn ? proteins.filter { $0.columnLabel(classes: classes) != nil }.map(\.id) : []
    }

    /// Rows where the sheet's `location` column and Belay's cleaning disagree, in sheet order: different classes,
    /// or one labels the protein and the other drops it. Empty without a column.
    /// - Complexity: O(rows).
    public var disagreements: [SheetLabel] {
        guard usesColumn else { return [] }
        return proteins.filter { $0.columnLabel(classes: classes) != $0.cleaning.label }
    }

    /// Rows whose `location` value is not one of the classes (reported; the protein is dropped).
    public var outsideClasses: [SheetLabel] {
        proteins.filter { p in p.column.map { !classes.contains($0) } ?? false }
    }

    /// Why these labels cannot be a reference, or `nil` when they can.
    ///
    /// A `location` column whose values are mostly not the route's classes (another vocabulary, "Cytoplasmic",
    /// GO names) is not a cleaned label column: grading against it would drop most proteins and fail every student.
    /// Stopping is the only honest answer; a handful of stray values is reported but graded around.
    public var integrityProblem: String? {
        guard usesColumn else { return nil }
        let filled = proteins.filter { $0.column != nil }.count
        let outside = outsideClasses
        guard filled > 0, Double(outside.count) > 0.1 * Double(filled), let first = outside.first else { return nil }
        let examples = Dictionary(grouping: outside.compactMap(\.column), by: { $0 }).sorted { $0.value.count > $1.value.count }
            .prefix(3).map { "`\($0.key)` (\($0.value.count) rows)" }.joined(separator: ", ")
        return "the sheet's location column holds values outside \(classes.joined(separator: ", ")) in \(outside.count) of its "
            + "\(filled) filled rows (\(examples); first at row \(first.row), protein `\(first.id)`), so it is not the cleaned "
            + "label column the route expects. Rename its values to the route's classes, or remove the column so that Belay "
            + "cleans the location text itself."
    }

    /// Why the reference drops a protein, for reports.
    public func dropReason(_ p: SheetLabel) -> String {
        if usesColumn {
            if let value = p.column { return "the location column's `\(value)` is not one of \(classes.joined(separator: ", "))" }
            return "blank in the sheet's location column"
        }
        switch p.cleaning {
        case .ambiguous(let classes): return "ambiguous: " + classes.joined(separator: ", ")
        case .missing, .label: return "no location that maps to a class"
        }
    }

    /// Whether a student's label for a protein earns credit, and through which source: `.reference` when it equals
    /// the reference label (a value outside the classes counts when it equals the column's own), `.alternative`
    /// when only Belay's cleaning gives it, `nil` when it matches neither.
    ///
    /// `label` is the student's label already reduced to a class where it clearly means one; `raw` is the
    /// student's cell as written, compared with the column's value after the same normalization.
    public func credit(for p: SheetLabel, label: String, raw: String) -> LabelCredit? {
        if let reference = referenceLabel(p) {
            if label == reference { return .reference }
        } else if usesColumn, let value = p.column, Self.normalize(raw) == value || label == value {
            return .reference
        }
        if let other = alternativeLabel(p), label == other { return .alternative }
        return nil
    }

    /// One line per disagreement, for `belay data info`: row, id, column value, Belay's outcome, text.
    public func disagreementLines(textLimit: Int = 160) -> [String] {
        disagreements.map { p in
            let text = p.text.count > textLimit ? String(p.text.prefix(textLimit)) + "…" : p.text
            return "row \(p.row) `\(p.id)`: location column \(p.column.map { "`\($0)`" } ?? "blank"); "
                + "Belay's cleaning \(p.cleaningDescription); text: \(text.isEmpty ? "(blank)" : text)"
        }
    }
}

/// Through which source a student's label earned credit.
public enum LabelCredit: Sendable, Equatable {
    /// It equals the reference label.
    case reference
    /// It equals the other source's label (Belay's cleaning where the column is the reference).
    case alternative
}
