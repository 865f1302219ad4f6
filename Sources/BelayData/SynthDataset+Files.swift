public import Foundation
import BelayFormats

extension SynthDataset {
    /// Writes the dataset in the course's two formats: `DIR/mtb_with_localization.xlsx` (the labelled sheet) and
    /// `DIR/mtb_full.h5.gz` (one float32 vector per protein of the proteome). Same dataset, same bytes.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let header = sheetHeader.map { XLSXCell.string($0) }
        let lengthColumn = sheetHeader.firstIndex(of: "Length")
        let rows: [[XLSXCell]] = sheetRows().map { row in
            row.enumerated().map { c, text in
                if c == lengthColumn, let n = Double(text) { return .number(n) }
                return text.isEmpty ? .empty : .string(text)
            }
        }
        try XLSXWriter.write(
            sheetName: "Sheet0", rows: [header] + rows,
            to: directory.appendingPathComponent(CourseDataset.sheetFileName))
        try HDF5EmbeddingWriter.write(
            ids: embeddingIDs, dim: config.dimension, values: embeddings,
            to: directory.appendingPathComponent(CourseDataset.embeddingFileName).path, gzip: true)
    }
}
