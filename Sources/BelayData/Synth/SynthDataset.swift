/// A generated dataset: proteome, sheet rows and embeddings, ready for a writer.
///
/// Nothing here touches the file system; the xlsx/HDF5 writers live in `BelayFormats` and are wired by
/// the caller from ``sheetHeader``, ``sheetRows()``, ``embeddingIDs`` and ``embeddings``.
public struct SynthDataset: Sendable {
    /// The configuration after clamping (what was actually generated).
    public var config: SynthConfig
    /// All proteins, in simulated genome order.
    public var proteins: [SynthProtein]
    /// Indices into ``proteins`` of the sheet's rows, ascending (genome order).
    public var labeledIndices: [Int]
    /// Accessions that have an embedding, sorted by their UTF-8 bytes (HDF5 name order): the whole proteome
    /// except about ``SynthConfig/missingEmbeddingShare`` of the sheet's proteins.
    public var embeddingIDs: [String]
    /// Row-major `embeddingIDs.count × config.dimension` float vectors, row `r` belonging to `embeddingIDs[r]`.
    public var embeddings: [Float]
    /// The sheet's column names, in order.
    public var sheetHeader: [String]

    /// The embedding of row `row` of ``embeddingIDs``.
    public func embedding(row: Int) -> ArraySlice<Float> {
        let d = config.dimension
        return embeddings[(row * d)..<((row + 1) * d)]
    }

    /// The sheet's rows (without the header), one per labelled protein, as the cells of ``sheetHeader``:
    /// `Entry`, `Entry Name`, `Gene Names`, `Length`, `Sequence`, `Subcellular location [CC]`, `location`
    /// (blank when the text cleans to no single class).
    /// - Complexity: O(M) for M labelled proteins.
    public func sheetRows() -> [[String]] {
        labeledIndices.map { i in
            let p = proteins[i]
            return [
                p.entry, p.entryName, p.geneNames, String(p.sequence.utf8.count), p.sequence, p.locationText,
                p.location ?? "",
            ]
        }
    }
}
