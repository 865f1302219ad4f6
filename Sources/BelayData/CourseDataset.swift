import BelayChecksum
public import Foundation
public import BelayLab
import BelayFormats

/// Where a protein's location label comes from: UniProt's free-text column or GO cellular-component terms.
public enum LocationSource: String, Sendable, Codable {
    /// UniProt's `Subcellular location [CC]` text ("SUBCELLULAR LOCATION: Cell membrane {ECO:…}; …").
    case uniprot
    /// A `Gene Ontology (cellular component)` column ("plasma membrane [GO:0005886]; cytosol [GO:0005829]").
    case geneOntology
}

/// One row of the course's protein sheet.
public struct SheetProtein: Sendable, Equatable {
    /// The protein's id as the sheet writes it (UniProt accession, Rv locus tag, anything).
    public var id: String
    /// One-letter amino-acid sequence as written in the sheet.
    public var sequence: String
    /// The raw location text the label is cleaned from.
    public var locationText: String
    /// The sheet's own cleaned `location` column, when it has one (blank cells are `nil`).
    public var givenLocation: String?
    /// 1-based spreadsheet row, for messages.
    public var row: Int
}

/// A course dataset: the labelled protein sheet and the proteome's embeddings, in the course's two formats.
///
/// Nothing here assumes a width, an id style or a label source: the embedding width comes from the file
/// (all vectors must agree), ids are opaque strings, and the label source is whichever column the sheet has.
public struct CourseDataset: Sendable {
    /// A short human name (the folder's, or the one `belay-dataset.json` gives).
    public var name: String
    /// Every sheet row, in sheet order.
    public var proteins: [SheetProtein]
    /// Which column labels are cleaned from.
    public var locationSource: LocationSource
    /// Ids of the embeddings that were loaded (those of sheet proteins present in the file), in sheet order.
    public var embeddingIDs: [String]
    /// The loaded embeddings, row `i` for `embeddingIDs[i]`.
    public var embeddings: EmbeddingMatrix
    /// How many vectors the embedding file holds in all (the proteome; a superset of the sheet).
    public var embeddingFileCount: Int
    /// The similarity threshold the dataset recommends for its vectors, if it says.
    public var recommendedThreshold: Float?
    /// Why that threshold, when the dataset says.
    public var thresholdReason: String?
    /// SHA-256 over the sheet and embedding files' bytes, so reports can say exactly which data graded them.
    public var sha256: String
    /// The files the dataset was read from.
    public var sheetPath: String
    public var embeddingPath: String
    /// How the embedding file stores its vectors, in words (``HDF5EmbeddingReader/Layout``), for summaries.
    public var embeddingLayout: String = ""
    /// Which embedding-file id each sheet id was matched to, and by which rule (``IDMatching``).
    public var idMatching = IDMatching()

    /// The threshold a command should use: the user's, else the dataset's recommendation, else the route's 0.8.
    public func threshold(override: Float?) -> Float {
        override ?? recommendedThreshold ?? 0.8
    }
}

/// Why a dataset could not be loaded, naming the file and what is wrong.
public struct DatasetError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

extension CourseDataset {
    /// The sheet's file name in the course.
    public static let sheetFileName = "mtb_with_localization.xlsx"
    /// The embeddings' file name in the course.
    public static let embeddingFileName = "mtb_full.h5.gz"

    /// The folder of the embedded default dataset (real *M. tuberculosis* H37Rv data shipped with Belay).
    ///
    /// `BELAY_DATA` overrides it, which lets an installed `belay` find data moved away from its build folder.
    public static func embeddedDefaultDirectory() throws -> URL {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        guard
            let url = ResourceLocator.locate(
                "mtb-h37rv", target: "BelayData", environmentKey: "BELAY_DATA", sourceDirectory: source)
        else {
            throw DatasetError(path: "mtb-h37rv", message: "the embedded default dataset is missing from Belay's resources; reinstall Belay or pass --data DIR")
        }
        return url
    }

    /// Loads the embedded default dataset.
    public static func embeddedDefault() throws -> CourseDataset {
        try load(directory: try embeddedDefaultDirectory())
    }

    /// Loads a dataset folder: the sheet (`mtb_with_localization.xlsx`, else the only `.xlsx`), the embeddings
    /// (`mtb_full.h5.gz`/`.h5`, else the only `.h5`/`.h5.gz`), and `belay-dataset.json` if present.
    ///
    /// Only the embeddings of sheet proteins are read from the HDF5 file.
    public static func load(directory: URL, sheetName: String? = nil) throws -> CourseDataset {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError(path: directory.path, message: "no such data folder")
        }
        let names = (try? fm.contentsOfDirectory(atPath: directory.path))?.sorted() ?? []
        func pick(_ preferred: [String], suffixes: [String], what: String) throws -> URL {
            for name in preferred where names.contains(name) { return directory.appendingPathComponent(name) }
            let candidates = names.filter { n in suffixes.contains { n.lowercased().hasSuffix($0) } && !n.hasPrefix(".") }
            guard candidates.count == 1, let only = candidates.first else {
                let found = candidates.isEmpty ? "none" : candidates.joined(separator: ", ")
                throw DatasetError(
                    path: directory.path,
                    message: "expected one \(what) (\(preferred.joined(separator: " or "))); found \(found)")
            }
            return directory.appendingPathComponent(only)
        }
        // The course's workbook, else the only workbook, else the only TSV/CSV (UniProt's default download).
        let sheetURL: URL
        if names.contains(sheetFileName) || names.contains(where: { $0.lowercased().hasSuffix(".xlsx") && !$0.hasPrefix(".") }) {
            sheetURL = try pick([sheetFileName], suffixes: [".xlsx"], what: "protein sheet")
        } else {
            sheetURL = try pick([sheetFileName], suffixes: textSheetSuffixes, what: "protein sheet (.xlsx, .tsv or .csv)")
        }
        let embeddingURL = try pick(
            [embeddingFileName, "mtb_full.h5"], suffixes: [".h5", ".h5.gz", ".hdf5"], what: "embedding file")

        var name = directory.lastPathComponent
        var recommended: Float?
        var reason: String?
        let metaURL = directory.appendingPathComponent("belay-dataset.json")
        if let metaData = try? Data(contentsOf: metaURL) {
            guard let meta = try? JSONSerialization.jsonObject(with: metaData) as? [String: Any] else {
                throw DatasetError(path: metaURL.path, message: "not a JSON object")
            }
            if let n = meta["name"] as? String { name = n }
            if let t = meta["recommended_threshold"] as? Double {
                guard t > -1, t < 1 else {
                    throw DatasetError(path: metaURL.path, message: "recommended_threshold \(t) is not a cosine in (-1, 1)")
                }
                recommended = Float(t)
            }
            reason = meta["threshold_reason"] as? String
        }

        // Unpacking and opening the embeddings (zlib, HDF5) overlaps with parsing the sheet (libxml2).
        let opening = OpeningReader(path: embeddingURL.path)
        let (proteins, source) = try readSheet(at: sheetURL, sheetName: sheetName)
        let reader = try Self.embeddingStep { try opening.wait() }
        let layout = reader.layout.description
        let matching: IDMatching
        do {
            matching = try IDMatching.match(sheetIDs: proteins.map(\.id), fileIDs: reader.ids)
        } catch let error as IDMatchingError {
            throw DatasetError(
                path: directory.path,
                message: "the ids of \(sheetURL.lastPathComponent) and \(embeddingURL.lastPathComponent) (\(layout)) "
                    + "cannot be paired: \(error.message)")
        }
        var seen = Set<String>()
        let matched = proteins.map(\.id).filter { matching.fileIDBySheetID[$0] != nil && seen.insert($0).inserted }
        let fileIDs = matched.map { matching.fileIDBySheetID[$0]! }
        let loaded = try Self.embeddingStep { try reader.read(ids: fileIDs) }
        let matrix = EmbeddingMatrix(count: matched.count, dimension: loaded.dim, values: loaded.values)

        let hash = try SHA256.hex(ofFiles: [sheetURL, embeddingURL])
        let dataset = CourseDataset(
            name: name, proteins: proteins, locationSource: source, embeddingIDs: matched, embeddings: matrix,
            embeddingFileCount: reader.ids.count, recommendedThreshold: recommended, thresholdReason: reason,
            sha256: hash, sheetPath: sheetURL.path, embeddingPath: embeddingURL.path, embeddingLayout: layout,
            idMatching: matching)
        try dataset.validate(directory: directory, fileIDs: reader.ids)
        return dataset
    }

    /// Runs a step on the embedding file, reporting its errors as ``DatasetError``s.
    private static func embeddingStep<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EmbeddingFileError {
            throw DatasetError(path: error.path, message: (error.id.map { "dataset \"\($0)\": " } ?? "") + error.message)
        }
    }

    /// Column names the sheet reader accepts, in order of preference (compared case-insensitively).
    static let idColumns = ["entry", "protein_id", "id", "locus_tag", "accession"]
    static let sequenceColumns = ["sequence", "seq"]
    static let uniprotLocationColumns = ["subcellular location [cc]", "subcellular location"]
    static let goColumns = ["gene ontology (cellular component)", "go cellular component"]

    /// Text tables the sheet may be instead of a workbook: UniProt's TSV download (also gzipped), or CSV.
    static let textSheetSuffixes = [".tsv", ".tsv.gz", ".csv", ".csv.gz", ".txt"]

    /// The sheet's cells as text, row by row (the header first), and its name for messages.
    static func sheetRows(at url: URL, sheetName: String?) throws -> (name: String, rows: [[String]], others: [String]) {
        let lower = url.lastPathComponent.lowercased()
        if textSheetSuffixes.contains(where: { lower.hasSuffix($0) }) {
            var data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw DatasetError(path: url.path, message: "cannot read the file: \(error.localizedDescription)")
            }
            if lower.hasSuffix(".gz") {
                do { data = try Gzip.decompress(data, limit: 2 << 30) } catch let error as GzipError {
                    throw DatasetError(path: url.path, message: error.message)
                }
            }
            do {
                let table = try CSVTable.parse(data: data, fileName: url.lastPathComponent)
                return (url.lastPathComponent, [table.header] + table.rows, [])
            } catch let error as CSVError {
                throw DatasetError(path: url.path, message: error.description)
            }
        }
        let names = try XLSXReader.sheetNames(at: url)
        var chosen = sheetName
        // `--sheet 2`: a 1-based index, unless a sheet is really named "2".
        if let given = sheetName, !names.contains(given), !names.contains(where: { $0.lowercased() == given.lowercased() }),
            let index = Int(given)
        {
            guard names.indices.contains(index - 1) else {
                throw DatasetError(
                    path: url.path,
                    message: "there is no sheet \(index): the workbook has \(names.count) "
                        + "(\(names.enumerated().map { "\($0 + 1). \"\($1)\"" }.joined(separator: ", ")))")
            }
            chosen = names[index - 1]
        }
        let sheet = try XLSXReader.read(at: url, sheet: chosen)
        return (sheet.name, sheet.rows.map { $0.map(\.text) }, names.filter { $0 != sheet.name })
    }

    static func readSheet(at url: URL, sheetName: String?) throws -> ([SheetProtein], LocationSource) {
        let sheet = try sheetRows(at: url, sheetName: sheetName)
        guard let headerRow = sheet.rows.first else {
            throw DatasetError(path: url.path, message: "sheet '\(sheet.name)' is empty")
        }
        /// Where the other sheets are worth trying, how to pick one.
        let otherSheets = sheet.others.isEmpty ? "" : "; the workbook's other sheets are "
            + sheet.others.map { "\"\($0)\"" }.joined(separator: ", ") + ": pick one with --sheet NAME or --sheet N (1-based)"
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ options: [String]) -> Int? {
            for o in options { if let i = header.firstIndex(of: o) { return i } }
            return nil
        }
        guard let idColumn = column(idColumns) else {
            throw DatasetError(path: url.path, message: "sheet '\(sheet.name)' has no id column (one of: Entry, protein_id, id)" + otherSheets)
        }
        guard let sequenceColumn = column(sequenceColumns) else {
            throw DatasetError(path: url.path, message: "sheet '\(sheet.name)' has no Sequence column" + otherSheets)
        }
        let source: LocationSource
        let textColumn: Int
        if let c = column(uniprotLocationColumns) {
            source = .uniprot
            textColumn = c
        } else if let c = column(goColumns) {
            source = .geneOntology
            textColumn = c
        } else {
            throw DatasetError(
                path: url.path,
                message: "sheet '\(sheet.name)' has neither a 'Subcellular location [CC]' nor a 'Gene Ontology (cellular component)' column" + otherSheets)
        }
        let locationColumn = column(["location"])
        var proteins: [SheetProtein] = []
        proteins.reserveCapacity(sheet.rows.count)
        for (r, row) in sheet.rows.enumerated().dropFirst() {
            func cell(_ c: Int) -> String { c < row.count ? row[c] : "" }
            let id = cell(idColumn).trimmingCharacters(in: .whitespaces)
            if id.isEmpty { continue }
            let given = locationColumn.map { cell($0).trimmingCharacters(in: .whitespaces) }
            proteins.append(
                SheetProtein(
                    id: id, sequence: cell(sequenceColumn), locationText: cell(textColumn),
                    givenLocation: (given?.isEmpty ?? true) ? nil : given, row: r + 1))
        }
        return (proteins, source)
    }
}

/// Opens an embedding file on another thread; `wait()` hands the reader over once it is open.
///
/// The reader is used by one thread at a time: the opening thread until `wait()` returns, the caller after.
private final class OpeningReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<HDF5EmbeddingReader, any Error> = .failure(CancellationError())

    init(path: String) {
        Thread.detachNewThread { [self] in
            result = Result { try HDF5EmbeddingReader(path: path) }
            done.signal()
        }
    }

    func wait() throws -> HDF5EmbeddingReader {
        done.wait()
        return try result.get()
    }
}
