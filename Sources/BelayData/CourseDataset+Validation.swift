import Foundation
import BelayLab

extension CourseDataset {
    /// The distinct ids of the labelled proteins, in sheet order: rows with a non-blank `location` cell when the
    /// sheet has such a column (and it is not blank throughout), else every row.
    /// - Complexity: O(*n*) in the sheet's rows.
    public var labelledIDs: [String] {
        let hasColumn = proteins.contains { $0.givenLocation != nil }
        var seen = Set<String>()
        return proteins.filter { (!hasColumn || $0.givenLocation != nil) && seen.insert($0.id).inserted }.map(\.id)
    }

    /// What was loaded, in a few lines: the sheet, the embedding file's layout and width, and how ids matched.
    ///
    /// `belay check` and `belay grade` print it before grading, so a misread file is seen before anyone is graded.
    /// - Complexity: O(*n*) in the sheet's rows.
    public var summary: String {
        let labelled = labelledIDs
        let hasColumn = proteins.contains { $0.givenLocation != nil }
        let withVector = Set(embeddingIDs)
        let labelledWithVector = labelled.filter { withVector.contains($0) }.count
        let sheetIDs = Set(proteins.map(\.id))
        let text = locationSource == .uniprot ? "UniProt's Subcellular location [CC]" : "Gene Ontology (cellular component)"
        let sheetName = URL(fileURLWithPath: sheetPath).lastPathComponent
        let embeddingName = URL(fileURLWithPath: embeddingPath).lastPathComponent
        return [
            "Dataset: \(name) (sha256 \(sha256.prefix(12)))",
            "Sheet: \(sheetName): \(proteins.count) rows, \(sheetIDs.count) distinct ids; \(labelled.count) labelled "
                + (hasColumn ? "(non-blank `location`)" : "(no `location` column: every row counts)") + "; location text from \(text)",
            "Embeddings: \(embeddingName): \(embeddingLayout.isEmpty ? "layout not recorded" : embeddingLayout); "
                + "\(embeddingFileCount) vectors of width \(embeddings.dimension)",
            "Ids: \(withVector.count) of \(sheetIDs.count) sheet ids have a vector (\(idMatching.countsDescription)); "
                + "\(labelledWithVector) of \(labelled.count) labelled proteins",
        ].joined(separator: "\n")
    }

    /// Stops with a ``DatasetError`` when grading against this data would be wrong: fewer than half of the labelled
    /// proteins have a vector, the vectors have width 0, or a vector holds NaN or infinity.
    ///
    /// Every message shows an id from each file and says how to fix it.
    /// - Complexity: O(*n* + *k* × *d*) for *n* sheet rows and *k* loaded vectors of width *d*.
    func validate(directory: URL, fileIDs: [String]) throws {
        let sheetName = URL(fileURLWithPath: sheetPath).lastPathComponent
        let embeddingName = URL(fileURLWithPath: embeddingPath).lastPathComponent
        guard !proteins.isEmpty else {
            throw DatasetError(path: sheetPath, message: "the sheet has no protein rows (a header and no ids); fill in the id column")
        }
        let matching = idMatching.fileIDBySheetID
        let labelled = labelledIDs
        let aligned = labelled.filter { matching[$0] != nil }.count
        let hasColumn = proteins.contains { $0.givenLocation != nil }
        if 2 * aligned < labelled.count {
            let sheetExample = labelled.first { matching[$0] == nil } ?? labelled[0]
            let used = Set(matching.values)
            let fileExample = fileIDs.first { !used.contains($0) } ?? fileIDs.first
            let row = proteins.first { $0.id == sheetExample }?.row
            let what = hasColumn ? "labelled proteins (rows with a `location`)" : "sheet proteins"
            throw DatasetError(
                path: directory.path,
                message: "only \(aligned) of \(labelled.count) \(what) have a vector in \(embeddingName), fewer than half, "
                    + "so the two files do not describe the same proteins under the same ids. "
                    + "For example the sheet has `\(sheetExample)`" + (row.map { " (row \($0))" } ?? "")
                    + " and \(embeddingName) has " + (fileExample.map { "`\($0)`" } ?? "no ids at all")
                    + " (\(embeddingLayout)). Belay matches ids exactly, ignoring case, without a version suffix (`.1`) "
                    + "and inside UniProt FASTA headers (`sp|P9WKJ3|NAME_MYCTU`). Fix: make \(sheetName)'s id column and "
                    + "the HDF5 dataset names (or its ids dataset) name the same proteins, or pass the matching pair of files")
        }
        guard let firstID = embeddingIDs.first else { return }
        let d = embeddings.dimension
        guard d > 0 else {
            throw DatasetError(
                path: embeddingPath,
                message: "the vectors have width 0 (e.g. sheet `\(firstID)` → \(embeddingName) `\(matching[firstID] ?? firstID)`, \(embeddingLayout)); "
                    + "store one vector of at least one float per protein")
        }
        let bad: (row: Int, column: Int, value: Float)? = embeddings.values.withUnsafeBufferPointer { values in
            for (i, v) in values.enumerated() where !v.isFinite { return (i / d, i % d, v) }
            return nil
        }
        if let bad {
            let id = embeddingIDs[bad.row]
            throw DatasetError(
                path: embeddingPath,
                message: "the vector of sheet `\(id)` (\(embeddingName) `\(matching[id] ?? id)`) holds \(bad.value.isNaN ? "NaN" : "\(bad.value)") "
                    + "at position \(bad.column) of \(d); similarities and models would be meaningless. "
                    + "Recompute that embedding, or remove the protein from both files")
        }
    }
}
