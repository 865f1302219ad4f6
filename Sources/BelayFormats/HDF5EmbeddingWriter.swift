internal import CHDF5
import Foundation

/// Writes embedding files: one float32 vector dataset per id, at the root of an HDF5 file.
public enum HDF5EmbeddingWriter {
    /// Writes `values` (row-major, `ids.count × dim`) to `path`, as plain HDF5 or, with `gzip`, as a gzip of it.
    ///
    /// Object timestamps are off and the gzip header carries no time or name, so the same input gives the
    /// same bytes. Ids must be unique, non-empty, and contain no `/`.
    /// - Complexity: O(*ids* × *dim*).
    public static func write(ids: [String], dim: Int, values: [Float], to path: String, gzip: Bool) throws {
        guard dim > 0 else { throw EmbeddingFileError(path: path, message: "the vector width must be positive, not \(dim)") }
        guard values.count == ids.count * dim else {
            throw EmbeddingFileError(path: path, message: "\(values.count) values do not fill \(ids.count) ids × \(dim)")
        }
        var seen = Set<String>()
        for id in ids {
            guard !id.isEmpty, id != ".", !id.contains("/"), !id.utf8.contains(0) else {
                throw EmbeddingFileError(path: path, id: id, message: "is not a valid dataset name (empty, \".\", or containing \"/\")")
            }
            guard seen.insert(id).inserted else { throw EmbeddingFileError(path: path, id: id, message: "appears twice") }
        }
        let hdf5Path: String
        var temporary: URL?
        if gzip {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("belay-\(UUID().uuidString).h5")
            temporary = url
            hdf5Path = url.path
        } else {
            hdf5Path = path
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        try HDF5.locked {
            let file = H5Fcreate(hdf5Path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
            guard file >= 0 else { throw HDF5.error(path: path, "cannot create the HDF5 file") }
            var closed = false
            defer { if !closed { H5Fclose(file) } }
            let properties = H5Pcreate(chdf5_p_dataset_create())
            guard properties >= 0 else { throw HDF5.error(path: path, "cannot create dataset properties") }
            defer { H5Pclose(properties) }
            H5Pset_obj_track_times(properties, false)
            var dims: [hsize_t] = [hsize_t(dim)]
            let space = H5Screate_simple(1, &dims, nil)
            guard space >= 0 else { throw HDF5.error(path: path, "cannot create a dataspace") }
            defer { H5Sclose(space) }
            try values.withUnsafeBufferPointer { buffer in
                for (index, id) in ids.enumerated() {
                    let dataset = H5Dcreate2(file, id, chdf5_ieee_f32le(), space, chdf5_p_default(), properties, chdf5_p_default())
                    guard dataset >= 0 else { throw HDF5.error(path: path, id: id, "cannot create the dataset") }
                    let status = H5Dwrite(dataset, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(),
                                          buffer.baseAddress.map { $0 + index * dim })
                    H5Dclose(dataset)
                    guard status >= 0 else { throw HDF5.error(path: path, id: id, "cannot write the values") }
                }
            }
            closed = true
            guard H5Fclose(file) >= 0 else { throw HDF5.error(path: path, "cannot finish writing the file") }
        }
        guard let temporary else { return }
        do {
            let compressed = try Gzip.compress(try Data(contentsOf: temporary), level: 6)
            try compressed.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EmbeddingFileError(path: path, message: "cannot write the gzip file: \(error)")
        }
    }
}
