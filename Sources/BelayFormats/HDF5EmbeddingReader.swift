internal import CHDF5
import Foundation

/// Reads per-protein embedding vectors from an HDF5 file: one numeric dataset per id.
///
/// Accepts `.h5` and gzip-compressed `.h5.gz` files (unpacked to a temporary file, removed when the
/// reader is released). Ids are the datasets' paths, `group/name` for datasets inside groups. Every dataset
/// read must be floating-point (float16, float32 or float64; converted to `Float`) and a vector: rank 1, or
/// rank 2 with one dimension equal to 1. All calls into HDF5 are serialized by a process-wide lock.
public final class HDF5EmbeddingReader {
    /// The path given to the initializer (used in errors).
    public let path: String
    /// Every dataset path in the file, sorted.
    public let ids: [String]
    private let idSet: Set<String>
    private let file: hid_t
    private let temporaryFile: URL?

    /// The temporary unpacked copy of a `.gz` file (removed in `deinit`), for tests.
    package var unpackedPath: String? { temporaryFile?.path }

    /// Opens the file at `path` (`.h5`, or `.gz` for gzip-compressed HDF5).
    ///
    /// - Complexity: O(*d*) in the number of datasets (each one's link is visited once); a `.gz` file is
    ///   unpacked first, O(*n*) in its size.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw EmbeddingFileError(path: path, message: "no such file")
        }
        var openPath = path
        var temporary: URL?
        if path.lowercased().hasSuffix(".gz") {
            let target = FileManager.default.temporaryDirectory
                .appendingPathComponent("belay-\(UUID().uuidString)-" + (URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent))
            do {
                try Gzip.decompressFile(at: URL(fileURLWithPath: path), to: target)
            } catch {
                try? FileManager.default.removeItem(at: target)
                let message = (error as? GzipError)?.message ?? "\(error)"
                throw EmbeddingFileError(path: path, message: "cannot unpack the gzip file: \(message)")
            }
            temporary = target
            openPath = target.path
        }
        let opened: (file: hid_t, ids: [String])
        do {
            opened = try HDF5.locked {
                let file = H5Fopen(openPath, chdf5_acc_rdonly(), chdf5_p_default())
                guard file >= 0 else {
                    throw HDF5.error(path: path, "not a readable HDF5 file")
                }
                do {
                    return (file, try Self.datasetPaths(file: file, path: path))
                } catch {
                    H5Fclose(file)
                    throw error
                }
            }
        } catch {
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
        file = opened.file
        ids = opened.ids
        idSet = Set(opened.ids)
        temporaryFile = temporary
    }

    deinit {
        HDF5.locked { _ = H5Fclose(file) }
        if let temporaryFile { try? FileManager.default.removeItem(at: temporaryFile) }
    }

    /// The vector stored for `id`, converted to `Float`.
    /// - Complexity: O(*n*) in the vector's length.
    public func vector(for id: String) throws -> [Float] {
        try HDF5.locked { try readVector(id) }
    }

    /// Reads the vectors of `ids` (all datasets when `nil`), in that order, into one row-major matrix.
    ///
    /// Only the requested datasets are read. All must have the same length; the error names the first id
    /// whose length differs from the first one's.
    /// - Returns: The ids read, the common width, and `ids.count × dim` values, row-major.
    /// - Complexity: O(*k* × *dim*) for *k* ids.
    public func read(ids requested: [String]?) throws -> (ids: [String], dim: Int, values: [Float]) {
        let wanted = requested ?? ids
        return try HDF5.locked {
            var values: [Float] = []
            var dim = 0
            for (index, id) in wanted.enumerated() {
                let vector = try readVector(id)
                if index == 0 {
                    dim = vector.count
                    values.reserveCapacity(wanted.count * dim)
                } else if vector.count != dim {
                    throw EmbeddingFileError(path: path, id: id,
                                             message: "has \(vector.count) values but \"\(wanted[0])\" has \(dim); all vectors must have the same width")
                }
                values.append(contentsOf: vector)
            }
            return (wanted, dim, values)
        }
    }

    // MARK: - Internals (called with the lock held)

    private func readVector(_ id: String) throws -> [Float] {
        guard idSet.contains(id) else {
            throw EmbeddingFileError(path: path, id: id, message: "no such dataset in the file (\(ids.count) datasets)")
        }
        let dataset = H5Dopen2(file, id, chdf5_p_default())
        guard dataset >= 0 else { throw HDF5.error(path: path, id: id, "cannot open the dataset") }
        defer { H5Dclose(dataset) }

        let type = H5Dget_type(dataset)
        guard type >= 0 else { throw HDF5.error(path: path, id: id, "cannot read the dataset's type") }
        let typeClass = H5Tget_class(type)
        H5Tclose(type)
        guard typeClass == H5T_FLOAT else {
            throw EmbeddingFileError(path: path, id: id,
                                     message: "holds \(Self.describe(typeClass)), not floating-point numbers")
        }

        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw HDF5.error(path: path, id: id, "cannot read the dataset's shape") }
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw HDF5.error(path: path, id: id, "cannot read the dataset's rank") }
        var dims = [hsize_t](repeating: 0, count: max(Int(rank), 1))
        if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
        let shape = "(" + dims.prefix(Int(rank)).map { String($0) }.joined(separator: ", ") + (rank == 1 ? ",)" : ")")
        let count: Int
        switch rank {
        case 1:
            count = Int(dims[0])
        case 2 where dims[0] == 1 || dims[1] == 1:
            count = Int(dims[0] * dims[1])
        case 0:
            throw EmbeddingFileError(path: path, id: id, message: "is a scalar, not a vector")
        default:
            throw EmbeddingFileError(path: path, id: id,
                                     message: "has shape \(shape); expected a vector: (n,), (1, n) or (n, 1)")
        }
        guard count > 0 else { throw EmbeddingFileError(path: path, id: id, message: "is empty (shape \(shape))") }

        var status: herr_t = 0
        let vector = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = H5Dread(dataset, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer.baseAddress)
            initialized = status >= 0 ? count : 0
        }
        guard status >= 0 else { throw HDF5.error(path: path, id: id, "cannot read the values (corrupt or truncated file?)") }
        return vector
    }

    private static func describe(_ typeClass: H5T_class_t) -> String {
        switch typeClass {
        case H5T_INTEGER: return "integers"
        case H5T_STRING: return "strings"
        case H5T_COMPOUND: return "compound records"
        case H5T_ENUM: return "enumerated values"
        case H5T_ARRAY: return "arrays"
        case H5T_VLEN: return "variable-length data"
        case H5T_OPAQUE: return "opaque data"
        case H5T_REFERENCE: return "references"
        case H5T_BITFIELD: return "bitfields"
        default: return "data of an unknown type"
        }
    }

    /// The paths of all datasets reachable through hard links, sorted.
    private static func datasetPaths(file: hid_t, path: String) throws -> [String] {
        final class Names { var items: [String] = [] }
        let names = Names()
        let status = withExtendedLifetime(names) {
            chdf5_visit_hard_links(file, { name, context in
                guard let name, let context else { return 0 }
                Unmanaged<Names>.fromOpaque(context).takeUnretainedValue().items.append(String(cString: name))
                return 0
            }, Unmanaged.passUnretained(names).toOpaque())
        }
        guard status >= 0 else { throw HDF5.error(path: path, "cannot list the file's contents (corrupt file?)") }
        var datasets: [String] = []
        for name in names.items {
            let object = H5Oopen(file, name, chdf5_p_default())
            guard object >= 0 else { throw HDF5.error(path: path, id: name, "cannot open the object") }
            if H5Iget_type(object) == H5I_DATASET { datasets.append(name) }
            H5Oclose(object)
        }
        return datasets.sorted()
    }
}

@available(*, unavailable)
extension HDF5EmbeddingReader: Sendable {}
