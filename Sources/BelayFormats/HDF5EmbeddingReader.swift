internal import CHDF5
import Foundation

/// Reads per-protein embedding vectors from an HDF5 file, in whichever of the common layouts it uses.
///
/// Layouts (see ``Layout``; the one found is reported in ``layout``):
/// - one float vector dataset per id at the root (`/Rv0001`);
/// - the same under one group (`/embeddings/Rv0001`): the id is the leaf name. When the vectors sit in several
///   groups, ids are the datasets' paths (`grp/inner/Rv0001`);
/// - one 2-D float matrix plus a 1-D string dataset of as many ids (fixed-length bytes such as NumPy's `S10`,
///   h5py's variable-length `str`, or h5py `bytes` object arrays), found by shape and type, not by name.
///   A (*d* × *n*) matrix whose second dimension matches the ids is read column by column.
///
/// A file in which more than one layout fits (two matrix/ids pairs, or a pair next to per-id vectors) is refused
/// with an error naming the datasets found. Accepts `.h5` and gzip-compressed `.h5.gz` files (unpacked to a
/// temporary file, removed when the reader is released). Values must be floating-point (float16, float32 or
/// float64; converted to `Float`). All calls into HDF5 are serialized by a process-wide lock.
public final class HDF5EmbeddingReader {
    /// How a file stores its vectors.
    public enum Layout: Sendable, Equatable, CustomStringConvertible {
        /// One vector dataset per id. `group` is the one group every vector sits directly under (`""` for the
        /// root), whose datasets are named by their leaf names; `nil` when vectors sit in several groups and ids
        /// are the datasets' paths.
        case datasetPerID(group: String?)
        /// One 2-D float matrix `dataset` with the ids in the 1-D string dataset `ids`: `rows` ids of `width`
        /// values each; `transposed` when the matrix is stored as (`width` × `rows`).
        case matrix(dataset: String, ids: String, rows: Int, width: Int, transposed: Bool)

        public var description: String {
            switch self {
            case .datasetPerID(group: ""):
                return "one dataset per id at the root"
            case .datasetPerID(group: let group?):
                return "one dataset per id under /\(group)"
            case .datasetPerID(group: nil):
                return "one dataset per id in several groups (ids are the datasets' paths)"
            case let .matrix(dataset, ids, rows, width, transposed):
                return transposed
                    ? "one \(width) x \(rows) matrix /\(dataset) (a column per id) with ids from /\(ids)"
                    : "one \(rows) x \(width) matrix /\(dataset) with ids from /\(ids)"
            }
        }
    }

    /// The path given to the initializer (used in errors).
    public let path: String
    /// Every id in the file, sorted: the names of its vector datasets (leaf names under a common group) or the
    /// ids dataset's non-empty entries.
    public let ids: [String]
    /// The layout found.
    public let layout: Layout
    private let storage: Storage
    private let file: hid_t
    private let temporaryFile: URL?

    private enum Storage {
        /// Dataset path by id.
        case datasets([String: String])
        /// Row (or column, when transposed) of the matrix by id.
        case matrix(dataset: String, rowByID: [String: Int], rows: Int, width: Int, transposed: Bool)
    }

    /// The temporary unpacked copy of a `.gz` file (removed in `deinit`), for tests.
    package var unpackedPath: String? { temporaryFile?.path }

    /// Opens the file at `path` (`.h5`, or `.gz` for gzip-compressed HDF5) and finds its layout.
    ///
    /// - Throws: ``EmbeddingFileError`` when the file cannot be read, holds no vectors, has duplicate ids, or
    ///   fits more than one layout.
    /// - Complexity: O(*k*) in the number of datasets (each one's type and shape is read once), plus O(*n*)
    ///   for a matrix's *n* ids; a `.gz` file is unpacked first, O(*size*).
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
        let opened: (file: hid_t, found: Found)
        do {
            opened = try HDF5.locked {
                let file = H5Fopen(openPath, chdf5_acc_rdonly(), chdf5_p_default())
                guard file >= 0 else {
                    throw HDF5.error(path: path, "not a readable HDF5 file")
                }
                do {
                    let datasets = try Self.datasets(file: file, path: path)
                    return (file, try Self.findLayout(datasets, file: file, path: path))
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
        ids = opened.found.ids
        layout = opened.found.layout
        storage = opened.found.storage
        temporaryFile = temporary
    }

    deinit {
        HDF5.locked { _ = H5Fclose(file) }
        if let temporaryFile { try? FileManager.default.removeItem(at: temporaryFile) }
    }

    /// The vector stored for `id`, converted to `Float`.
    /// - Complexity: O(*d*) in the vector's length.
    public func vector(for id: String) throws -> [Float] {
        try HDF5.locked {
            switch storage {
            case .datasets(let byID):
                return try readVector(id, byID: byID)
            case let .matrix(dataset, rowByID, rows, width, transposed):
                guard let row = rowByID[id] else { throw noSuchID(id) }
                return try readRows([row], dataset: dataset, rows: rows, width: width, transposed: transposed)
            }
        }
    }

    /// Reads the vectors of `ids` (all of them when `nil`), in that order, into one row-major matrix.
    ///
    /// Only the requested vectors are read: datasets one by one, or the requested rows of a matrix (one
    /// hyperslab selection per run of consecutive rows, a single read; a transposed or chunked matrix is read
    /// whole). All must have the same length; the error names the first id whose length differs from the first one's.
    /// - Returns: The ids read, the common width, and `ids.count × dim` values, row-major.
    /// - Complexity: O(*k* × *dim*) for *k* ids, plus O(*k* log *k*) to order a matrix's rows.
    public func read(ids requested: [String]?) throws -> (ids: [String], dim: Int, values: [Float]) {
        let wanted = requested ?? ids
        return try HDF5.locked {
            switch storage {
            case .datasets(let byID):
                var values: [Float] = []
                var dim = 0
                for (index, id) in wanted.enumerated() {
                    let vector = try readVector(id, byID: byID)
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
            case let .matrix(dataset, rowByID, rows, width, transposed):
                let wantedRows = try wanted.map { id in
                    guard let row = rowByID[id] else { throw noSuchID(id) }
                    return row
                }
                let values = try readRows(wantedRows, dataset: dataset, rows: rows, width: width, transposed: transposed)
                return (wanted, wanted.isEmpty ? 0 : width, values)
            }
        }
    }

    // MARK: - Reading (called with the lock held)

    private func noSuchID(_ id: String) -> EmbeddingFileError {
        switch layout {
        case .matrix(_, let idsDataset, _, _, _):
            return EmbeddingFileError(path: path, id: id, message: "no such id in /\(idsDataset) (\(ids.count) ids)")
        case .datasetPerID:
            return EmbeddingFileError(path: path, id: id, message: "no such dataset in the file (\(ids.count) vectors)")
        }
    }

    private func readVector(_ id: String, byID: [String: String]) throws -> [Float] {
        guard let datasetPath = byID[id] else { throw noSuchID(id) }
        let dataset = H5Dopen2(file, datasetPath, chdf5_p_default())
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
        let shape = Self.shape(dims.prefix(Int(rank)).map { Int($0) })
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
        // An empty vector is returned as such: whoever asked decides whether width 0 is acceptable.
        guard count > 0 else { return [] }

        var status: herr_t = 0
        let vector = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = H5Dread(dataset, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer.baseAddress)
            initialized = status >= 0 ? count : 0
        }
        guard status >= 0 else { throw HDF5.error(path: path, id: id, "cannot read the values (corrupt or truncated file?)") }
        return vector
    }

    /// Reads matrix rows `wanted` (columns when `transposed`), in that order, as `wanted.count × width` values.
    ///
    /// From a contiguous (rows × width) matrix, the distinct rows are selected as one hyperslab per run of
    /// consecutive rows and read with a single `H5Dread` (HDF5 delivers them in file order), then put in the
    /// requested order. A transposed or chunked (e.g. gzip-compressed) matrix is read whole, then gathered:
    /// measured on 4000 × 1024 float32 with 1500 random ids (debug build, shared machine), the row hyperslab
    /// takes 60–100 ms against 130–180 ms for the whole matrix, but a column hyperslab takes 165–175 ms (no
    /// gain) and on gzip chunks 460–590 ms against 330–490 ms (every chunk is decompressed either way).
    private func readRows(_ wanted: [Int], dataset name: String, rows: Int, width: Int, transposed: Bool) throws -> [Float] {
        guard !wanted.isEmpty, width > 0 else { return [] }
        let dataset = H5Dopen2(file, name, chdf5_p_default())
        guard dataset >= 0 else { throw HDF5.error(path: path, id: name, "cannot open the matrix") }
        defer { H5Dclose(dataset) }
        var contiguous = false
        let properties = H5Dget_create_plist(dataset)
        if properties >= 0 {
            contiguous = H5Pget_layout(properties) == H5D_CONTIGUOUS
            H5Pclose(properties)
        }

        let distinct = Array(Set(wanted)).sorted()
        let everything = transposed || !contiguous || distinct.count == rows
        var position = [Int: Int](minimumCapacity: everything ? 0 : distinct.count)
        if !everything { for (p, row) in distinct.enumerated() { position[row] = p } }
        let fileSpace = H5Dget_space(dataset)
        guard fileSpace >= 0 else { throw HDF5.error(path: path, id: name, "cannot read the matrix's shape") }
        defer { H5Sclose(fileSpace) }

        let k = everything ? rows : distinct.count
        if !everything {
            // Runs of consecutive rows become one block each.
            var operation = H5S_SELECT_SET
            var start = 0
            while start < k {
                var end = start + 1
                while end < k && distinct[end] == distinct[end - 1] + 1 { end += 1 }
                var offset: [hsize_t] = [hsize_t(distinct[start]), 0]
                var count: [hsize_t] = [hsize_t(end - start), hsize_t(width)]
                guard H5Sselect_hyperslab(fileSpace, operation, &offset, nil, &count, nil) >= 0 else {
                    throw HDF5.error(path: path, id: name, "cannot select rows of the matrix")
                }
                operation = H5S_SELECT_OR
                start = end
            }
        }
        var memoryDims: [hsize_t] = [hsize_t(k * width)]
        let memorySpace = H5Screate_simple(1, &memoryDims, nil)
        guard memorySpace >= 0 else { throw HDF5.error(path: path, id: name, "cannot create a memory dataspace") }
        defer { H5Sclose(memorySpace) }

        var status: herr_t = 0
        let block = [Float](unsafeUninitializedCapacity: k * width) { buffer, initialized in
            status = H5Dread(dataset, chdf5_native_float(), everything ? chdf5_s_all() : memorySpace,
                             everything ? chdf5_s_all() : fileSpace, chdf5_p_default(), buffer.baseAddress)
            initialized = status >= 0 ? k * width : 0
        }
        guard status >= 0 else {
            throw HDF5.error(path: path, id: name, "cannot read the matrix's values (corrupt or truncated file?)")
        }
        // Gather: row-major blocks are (k × width); transposed ones are (width × k).
        var values = [Float](repeating: 0, count: wanted.count * width)
        block.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for (i, row) in wanted.enumerated() {
                    let p = everything ? row : position[row]!
                    if transposed {
                        for j in 0..<width { target[i * width + j] = source[j * k + p] }
                    } else {
                        for j in 0..<width { target[i * width + j] = source[p * width + j] }
                    }
                }
            }
        }
        return values
    }

    // MARK: - Finding the layout (called with the lock held)

    /// What the layout search needs to know about one dataset.
    private struct DatasetInfo {
        var path: String
        var typeClass: H5T_class_t
        var typeSize: Int
        var dims: [Int]

        var isFloat: Bool { typeClass == H5T_FLOAT }
        var isVector: Bool { isFloat && (dims.count == 1 || (dims.count == 2 && (dims[0] == 1 || dims[1] == 1))) }
        var isMatrix: Bool { isFloat && dims.count == 2 }
        var isStringList: Bool { typeClass == H5T_STRING && dims.count == 1 }
        var parent: String {
            guard let slash = path.lastIndex(of: "/") else { return "" }
            return String(path[..<slash])
        }
        var leaf: String {
            guard let slash = path.lastIndex(of: "/") else { return path }
            return String(path[path.index(after: slash)...])
        }
        /// E.g. `/embeddings (float32, 3906 x 256)`.
        var summary: String {
            let type: String
            switch typeClass {
            case H5T_FLOAT: type = "float\(typeSize * 8)"
            case H5T_INTEGER: type = "int\(typeSize * 8)"
            default: type = HDF5EmbeddingReader.describe(typeClass)
            }
            let shape = dims.isEmpty ? "scalar" : dims.map(String.init).joined(separator: " x ")
            return "/\(path) (\(type), \(shape))"
        }
    }

    private struct Found {
        var ids: [String]
        var layout: Layout
        var storage: Storage
    }

    /// Decides the layout from the datasets' types and shapes (never from their names).
    private static func findLayout(_ datasets: [DatasetInfo], file: hid_t, path: String) throws -> Found {
        func list(_ items: [DatasetInfo], limit: Int = 8) -> String {
            let shown = items.prefix(limit).map(\.summary).joined(separator: ", ")
            return items.count > limit ? shown + " and \(items.count - limit) more" : shown
        }
        let strings = datasets.filter(\.isStringList)
        var pairs: [(matrix: DatasetInfo, ids: DatasetInfo, transposed: Bool)] = []
        for matrix in datasets where matrix.isMatrix {
            for idList in strings where idList.dims[0] > 0 {
                // (n × d) first: when n == d the rows are taken as the ids, the way h5py users write matrices.
                if matrix.dims[0] == idList.dims[0] {
                    pairs.append((matrix, idList, false))
                } else if matrix.dims[1] == idList.dims[0] {
                    pairs.append((matrix, idList, true))
                }
            }
        }
        let paired = Set(pairs.map(\.matrix.path))
        let vectors = datasets.filter { $0.isVector && !paired.contains($0.path) }

        if pairs.count > 1 {
            let described = pairs.map { "\($0.matrix.summary) with ids \($0.ids.summary)" }.joined(separator: "; ")
            throw EmbeddingFileError(
                path: path,
                message: "is ambiguous: more than one matrix matches a list of ids (\(described)); keep one matrix and its ids in the file")
        }
        if let pair = pairs.first {
            guard vectors.isEmpty else {
                throw EmbeddingFileError(
                    path: path,
                    message: "is ambiguous: it holds a matrix with ids (\(pair.matrix.summary) with \(pair.ids.summary)) and also \(vectors.count) separate vector dataset(s) (\(list(vectors, limit: 4))); keep either the matrix and its ids or one dataset per id")
            }
            let names = try readStrings(pair.ids, file: file, path: path)
            var rowByID: [String: Int] = [:]
            rowByID.reserveCapacity(names.count)
            for (row, raw) in names.enumerated() {
                let id = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if id.isEmpty { continue }  // An empty id cannot name a protein; its row is never read.
                if let first = rowByID[id] {
                    throw EmbeddingFileError(
                        path: path, id: id,
                        message: "appears twice in /\(pair.ids.path) (entries \(first) and \(row), counting from 0); ids must be unique")
                }
                rowByID[id] = row
            }
            let rows = pair.ids.dims[0]
            let width = pair.transposed ? pair.matrix.dims[0] : pair.matrix.dims[1]
            return Found(
                ids: rowByID.keys.sorted(),
                layout: .matrix(dataset: pair.matrix.path, ids: pair.ids.path, rows: rows, width: width, transposed: pair.transposed),
                storage: .matrix(dataset: pair.matrix.path, rowByID: rowByID, rows: rows, width: width, transposed: pair.transposed))
        }
        guard !vectors.isEmpty else {
            let matrices = datasets.filter(\.isMatrix)
            if !matrices.isEmpty {
                throw EmbeddingFileError(
                    path: path,
                    message: "holds the matrix \(list(matrices)) but no 1-D string dataset with one id per row (or column); found \(list(datasets)). Store the ids next to it, e.g. f[\"ids\"] = ids in h5py")
            }
            let found = datasets.isEmpty ? "no datasets at all" : list(datasets)
            throw EmbeddingFileError(
                path: path,
                message: "holds no embedding vectors (found \(found)); expected one float vector dataset per id, or one 2-D float matrix with a 1-D string dataset of its ids")
        }

        // One dataset per id: named by leaf when every vector sits directly under one group.
        let parents = Set(vectors.map(\.parent))
        let group: String? = parents.count == 1 ? parents.first : nil
        var byID: [String: String] = [:]
        byID.reserveCapacity(datasets.count)
        for dataset in datasets {
            let id = (group.map { !$0.isEmpty && dataset.parent == $0 } ?? false) ? dataset.leaf : dataset.path
            if let other = byID[id] {
                throw EmbeddingFileError(
                    path: path, id: id,
                    message: "names two datasets, /\(other) and /\(dataset.path); rename one so every id is unique")
            }
            byID[id] = dataset.path
        }
        // Other datasets stay readable by name (so asking for one explains what it holds) but are not ids.
        let vectorPaths = Set(vectors.map(\.path))
        let ids = byID.filter { vectorPaths.contains($0.value) }.keys.sorted()
        return Found(ids: ids, layout: .datasetPerID(group: group), storage: .datasets(byID))
    }

    /// Reads a 1-D string dataset's entries (fixed- or variable-length, ASCII or UTF-8).
    private static func readStrings(_ info: DatasetInfo, file: hid_t, path: String) throws -> [String] {
        let dataset = H5Dopen2(file, info.path, chdf5_p_default())
        guard dataset >= 0 else { throw HDF5.error(path: path, id: info.path, "cannot open the ids dataset") }
        defer { H5Dclose(dataset) }
        final class Collected { var items: [String] = [] }
        let count = info.dims[0]
        let collected = Collected()
        collected.items = [String](repeating: "", count: count)
        let status = withExtendedLifetime(collected) {
            chdf5_read_strings(dataset, count, { index, bytes, length, context in
                guard let context else { return }
                let box = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
                guard let bytes, index < box.items.count else { return }
                let buffer = UnsafeRawBufferPointer(start: bytes, count: length)
                box.items[index] = String(decoding: buffer, as: UTF8.self)
            }, Unmanaged.passUnretained(collected).toOpaque())
        }
        guard status >= 0 else { throw HDF5.error(path: path, id: info.path, "cannot read the ids") }
        return collected.items
    }

    /// The type and shape of every dataset reachable through hard links, sorted by path.
    private static func datasets(file: hid_t, path: String) throws -> [DatasetInfo] {
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
        var datasets: [DatasetInfo] = []
        for name in names.items {
            let object = H5Oopen(file, name, chdf5_p_default())
            guard object >= 0 else { throw HDF5.error(path: path, id: name, "cannot open the object") }
            defer { H5Oclose(object) }
            guard H5Iget_type(object) == H5I_DATASET else { continue }
            let type = H5Dget_type(object)
            guard type >= 0 else { throw HDF5.error(path: path, id: name, "cannot read the dataset's type") }
            let typeClass = H5Tget_class(type)
            let typeSize = H5Tget_size(type)
            H5Tclose(type)
            let space = H5Dget_space(object)
            guard space >= 0 else { throw HDF5.error(path: path, id: name, "cannot read the dataset's shape") }
            defer { H5Sclose(space) }
            let rank = H5Sget_simple_extent_ndims(space)
            guard rank >= 0 else { throw HDF5.error(path: path, id: name, "cannot read the dataset's rank") }
            var dims = [hsize_t](repeating: 0, count: max(Int(rank), 1))
            if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
            datasets.append(DatasetInfo(path: name, typeClass: typeClass, typeSize: typeSize,
                                        dims: dims.prefix(Int(rank)).map { Int($0) }))
        }
        return datasets.sorted { $0.path < $1.path }
    }

    private static func shape(_ dims: [Int]) -> String {
        "(" + dims.map(String.init).joined(separator: ", ") + (dims.count == 1 ? ",)" : ")")
    }

    fileprivate static func describe(_ typeClass: H5T_class_t) -> String {
        switch typeClass {
        case H5T_FLOAT: return "floating-point numbers"
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
}

@available(*, unavailable)
extension HDF5EmbeddingReader: Sendable {}
