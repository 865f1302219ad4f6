import BelayFormats
import BelayTestSupport
import Foundation
import Testing

@Suite("HDF5 embeddings")
struct HDF5Tests {
    /// Writes the h5py test file: float16/32/64 vectors, nested groups, (1, n) and (n, 1) shapes, and refusals.
    private func makeH5pyFile(_ url: URL) throws {
        try Python.run(script: """
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "w") as f:
                f["f32"] = np.array([1.0, -2.5, 3.25], dtype=np.float32)
                f["f16"] = np.array([0.5, 1.5, -2.0], dtype=np.float16)
                f["f64"] = np.array([1e-3, 2.0, 1/3], dtype=np.float64)
                f.create_group("grp").create_group("inner")["deep"] = np.array([7, 8, 9], dtype=np.float32)
                f["row"] = np.array([[1, 2, 3]], dtype=np.float32)
                f["col"] = np.array([[4], [5], [6]], dtype=np.float64)
                f["matrix"] = np.zeros((2, 3), dtype=np.float32)
                f["text"] = np.array([b"a", b"b", b"c", b"d"])  # matches no matrix dimension: not an ids list
                f["ints"] = np.arange(3, dtype=np.int32)
                f["scalar"] = np.float32(1)
                f["compound"] = np.zeros(2, dtype=[("a", "f4"), ("b", "i4")])
                f["wide"] = np.zeros(4, dtype=np.float32)
            """, arguments: [url.path])
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func readsH5pyFilesOfEveryFloatWidth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("mixed.h5")
        try makeH5pyFile(url)
        let reader = try HDF5EmbeddingReader(path: url.path)
        #expect(reader.layout == .datasetPerID(group: nil), "vectors at the root and in a group: ids are paths")
        // Ids are the vector datasets; the others can still be asked for, and say what they hold.
        #expect(reader.ids == ["col", "f16", "f32", "f64", "grp/inner/deep", "row", "wide"])
        #expect(try reader.vector(for: "f32") == [1.0, -2.5, 3.25])
        #expect(try reader.vector(for: "f16") == [0.5, 1.5, -2.0])
        #expect(try reader.vector(for: "f64") == [Float(1e-3), 2.0, Float(1.0 / 3.0)])
        #expect(try reader.vector(for: "grp/inner/deep") == [7, 8, 9])
        #expect(try reader.vector(for: "row") == [1, 2, 3])
        #expect(try reader.vector(for: "col") == [4, 5, 6])

        let block = try reader.read(ids: ["f32", "grp/inner/deep", "col"])
        #expect(block.dim == 3)
        #expect(block.ids == ["f32", "grp/inner/deep", "col"])
        #expect(block.values == [1.0, -2.5, 3.25, 7, 8, 9, 4, 5, 6])

        let refusals: [(String, String)] = [
            ("matrix", "has shape (2, 3)"), ("text", "holds strings"), ("ints", "holds integers"),
            ("scalar", "is a scalar"), ("compound", "holds compound records"), ("Rv9999", "no such dataset"),
        ]
        for (id, message) in refusals {
            let error = try #require(throws: EmbeddingFileError.self) { try reader.vector(for: id) }
            #expect(error.id == id)
            #expect(error.path == url.path)
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.contains(url.path) && error.description.contains(id))
        }
        let mismatch = try #require(throws: EmbeddingFileError.self) { try reader.read(ids: ["f32", "f64", "wide", "row"]) }
        #expect(mismatch.id == "wide")
        #expect(mismatch.message.contains("has 4 values but \"f32\" has 3"))
        // nil means every vector, and the file's vectors differ in width.
        #expect(throws: EmbeddingFileError.self) { try reader.read(ids: nil) }
    }

    @Test func writerOutputIsReadByH5pyAndByTheReader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let ids = ["Rv0001", "Rv0002", "RV1984a"]
        let values: [Float] = [1, 2, 3, 4, -0.5, 0.25, 1e-7, 3.4e38, -1]
        let plain = directory.file("out.h5"), packed = directory.file("out.h5.gz"), again = directory.file("again.h5.gz")
        try HDF5EmbeddingWriter.write(ids: ids, dim: 3, values: values, to: plain.path, gzip: false)
        try HDF5EmbeddingWriter.write(ids: ids, dim: 3, values: values, to: packed.path, gzip: true)
        try HDF5EmbeddingWriter.write(ids: ids, dim: 3, values: values, to: again.path, gzip: true)
        #expect(try Data(contentsOf: packed) == Data(contentsOf: again), "gzip output must be byte-identical")
        for url in [plain, packed] {
            let reader = try HDF5EmbeddingReader(path: url.path)
            #expect(reader.ids == ids.sorted())
            let block = try reader.read(ids: ids)
            #expect(block.dim == 3 && block.values == values)
        }
        #expect(throws: EmbeddingFileError.self) {
            try HDF5EmbeddingWriter.write(ids: ["a", "a"], dim: 1, values: [1, 2], to: plain.path, gzip: false)
        }
        #expect(throws: EmbeddingFileError.self) {
            try HDF5EmbeddingWriter.write(ids: ["a/b"], dim: 1, values: [1], to: plain.path, gzip: false)
        }
        #expect(throws: EmbeddingFileError.self) {
            try HDF5EmbeddingWriter.write(ids: ["a"], dim: 2, values: [1], to: plain.path, gzip: false)
        }
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func h5pyReadsWhatTheWriterWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let ids = ["Rv0001", "Rv0002", "RV1984a"]
        let values: [Float] = [1, 2, 3, 4, -0.5, 0.25, 1e-7, 3.4e38, -1]
        let packed = directory.file("out.h5.gz")
        try HDF5EmbeddingWriter.write(ids: ids, dim: 3, values: values, to: packed.path, gzip: true)
        let output = try Python.output(script: """
            import sys, gzip, io, h5py, numpy as np
            f = h5py.File(io.BytesIO(gzip.open(sys.argv[1]).read()), "r")
            for k in sorted(f): print(k, f[k].dtype, f[k].shape, " ".join(repr(float(v)) for v in f[k][()]))
            """, arguments: [packed.path])
        #expect(output == """
            RV1984a float32 (3,) 1.0000000116860974e-07 3.3999999521443642e+38 -1.0
            Rv0001 float32 (3,) 1.0 2.0 3.0
            Rv0002 float32 (3,) 4.0 -0.5 0.25

            """)
    }

    @Test func brokenFilesErrorWithoutCrashing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let ids = (0..<50).map { "Rv\($0)" }
        let full = directory.file("full.h5")
        try HDF5EmbeddingWriter.write(ids: ids, dim: 64, values: [Float](repeating: 0.5, count: 50 * 64), to: full.path, gzip: false)
        let bytes = try Data(contentsOf: full)

        let truncated = directory.file("truncated.h5")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let error1 = try #require(throws: EmbeddingFileError.self) {
            let reader = try HDF5EmbeddingReader(path: truncated.path)
            _ = try reader.read(ids: nil)
        }
        #expect(error1.path == truncated.path)
        #expect(error1.message.contains("truncated") || error1.message.contains("HDF5"), "\(error1)")

        let truncatedGz = directory.file("truncated.h5.gz")
        let gz = try Gzip.compress(bytes)
        try gz.prefix(gz.count - 100).write(to: truncatedGz)
        let error2 = try #require(throws: EmbeddingFileError.self) { try HDF5EmbeddingReader(path: truncatedGz.path) }
        #expect(error2.message.contains("unexpected end of gzip stream"), "\(error2)")

        let text = directory.file("notes.h5")
        try Data("Rv0001,1,2,3\n".utf8).write(to: text)
        let error3 = try #require(throws: EmbeddingFileError.self) { try HDF5EmbeddingReader(path: text.path) }
        #expect(error3.message.contains("not a readable HDF5 file"), "\(error3)")

        let missing = try #require(throws: EmbeddingFileError.self) { try HDF5EmbeddingReader(path: directory.file("none.h5").path) }
        #expect(missing.message == "no such file")

        // Temporary copies of .gz files are removed with the reader.
        let packed = directory.file("ok.h5.gz")
        try gz.write(to: packed)
        var unpacked: String?
        do {
            let reader = try HDF5EmbeddingReader(path: packed.path)
            #expect(reader.ids.count == 50)
            unpacked = reader.unpackedPath
            #expect(unpacked.map { FileManager.default.fileExists(atPath: $0) } == true)
        }
        let removed = try #require(unpacked)
        #expect(!FileManager.default.fileExists(atPath: removed))
    }

    @Test func readsTheEmbeddedH37RvEmbeddings() throws {
        let path = Paths.dataFolder.appendingPathComponent("mtb_full.h5.gz").path
        let reader = try HDF5EmbeddingReader(path: path)
        #expect(reader.ids.count == 3906)
        #expect(reader.ids.contains("Rv0001") && reader.ids.contains("RV1984a"))
        let all = try reader.read(ids: nil)
        #expect(all.dim == 256)
        #expect(all.values.count == 3906 * 256)
        let some = try reader.read(ids: ["Rv0001", "Rv3924c"])
        #expect(some.values.count == 512)
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func theEmbeddedEmbeddingsReadAsH5pyReadsThem() throws {
        let path = Paths.dataFolder.appendingPathComponent("mtb_full.h5.gz").path
        let some = try HDF5EmbeddingReader(path: path).read(ids: ["Rv0001", "Rv3924c"])
        let output = try Python.output(script: """
            import sys, gzip, io, h5py
            f = h5py.File(io.BytesIO(gzip.open(sys.argv[1]).read()), "r")
            for k in ("Rv0001", "Rv3924c"):
                v = f[k][()]
                print(" ".join(repr(float(x)) for x in (v[0], v[1], v[127], v[255])))
            """, arguments: [path])
        let expected = output.split(separator: "\n").map { $0.split(separator: " ").compactMap { Float(String($0)) } }
        #expect(expected.count == 2)
        #expect([0, 1, 127, 255].map { some.values[$0] } == expected[0])
        #expect([0, 1, 127, 255].map { some.values[256 + $0] } == expected[1])
    }
}

/// The common layouts of embedding files, written by h5py as instructors write them.
@Suite("HDF5 embedding layouts")
struct HDF5LayoutTests {
    /// Five ids and their vectors (width 3), exactly representable: row i is [i, i + 1/4, -i/8].
    static let ids = ["Rv0001", "Rv0002", "Rv0003c", "RV1984a", "P9WKJ3"]
    static func vector(_ i: Int) -> [Float] { [Float(i), Float(i) + 0.25, -Float(i) / 8] }

    /// Runs `body` (Python with `f` open for writing, `ids` a list of str, `X` the float32 n × 3 matrix) into a new
    /// file and opens it.
    static func write(_ body: String, in directory: TemporaryDirectory, name: String = "e.h5") throws -> URL {
        let url = directory.file(name)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        _ = try Python.output(script: """
            import sys, h5py, numpy as np
            ids = [\(Self.ids.map { "'\($0)'" }.joined(separator: ", "))]
            X = np.array([[i, i + 0.25, -i / 8] for i in range(len(ids))], dtype=np.float32)
            with h5py.File(sys.argv[1], "w") as f:
            \(lines)
            """, arguments: [url.path])
        return url
    }

    /// The reader finds `layout` and reads every id's vector, in any order and with repeats.
    static func expectReadsAll(_ url: URL, layout: HDF5EmbeddingReader.Layout) throws {
        let reader = try HDF5EmbeddingReader(path: url.path)
        #expect(reader.layout == layout)
        #expect(reader.ids == ids.sorted())
        for (i, id) in ids.enumerated() { #expect(try reader.vector(for: id) == vector(i), "\(id)") }
        let order = [4, 0, 2, 2, 3]
        let block = try reader.read(ids: order.map { ids[$0] })
        #expect(block.dim == 3)
        #expect(block.values == order.flatMap { vector($0) })
        let one = try reader.read(ids: [ids[1]])
        #expect(one.values == vector(1))
        let missing = try #require(throws: EmbeddingFileError.self) { try reader.read(ids: ["Rv0001", "Rv9999"]) }
        #expect(missing.id == "Rv9999")
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func vectorsUnderOneGroupAreNamedByLeaf() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = try Self.write("""
            g = f.create_group("embeddings")
            for i, k in enumerate(ids): g[k] = X[i]
            f["version"] = np.int32(3)
            """, in: directory)
        try Self.expectReadsAll(url, layout: .datasetPerID(group: "embeddings"))
        #expect(try HDF5EmbeddingReader(path: url.path).layout.description == "one dataset per id under /embeddings")

        let deep = try Self.write("""
            g = f.create_group("model").create_group("per_protein")
            for i, k in enumerate(ids): g[k] = X[i]
            """, in: directory, name: "deep.h5")
        try Self.expectReadsAll(deep, layout: .datasetPerID(group: "model/per_protein"))

        let root = try Self.write("for i, k in enumerate(ids): f[k] = X[i]", in: directory, name: "root.h5")
        try Self.expectReadsAll(root, layout: .datasetPerID(group: ""))
    }

    @Test(
        .enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"),
        arguments: [
        ("fixed-length bytes (S10)", "f['ids'] = np.array(ids, dtype='S10')"),
        ("h5py str", "f.create_dataset('ids', data=ids, dtype=h5py.string_dtype())"),
        ("h5py bytes objects", "f.create_dataset('ids', data=np.array([k.encode() for k in ids], dtype=object), dtype=h5py.string_dtype('ascii'))"),
        ("special_dtype(vlen=bytes)", "f.create_dataset('ids', data=[k.encode() for k in ids], dtype=h5py.special_dtype(vlen=bytes))"),
        ("space-padded, odd names", "f['protein_names'] = np.array([k + '  ' for k in ids], dtype='S12')"),
    ])
    func matrixWithIDs(kind: String, idsLine: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = try Self.write("f['embeddings'] = X\n" + idsLine, in: directory)
        let idsName = idsLine.contains("protein_names") ? "protein_names" : "ids"
        try Self.expectReadsAll(url, layout: .matrix(dataset: "embeddings", ids: idsName, rows: 5, width: 3, transposed: false))

        let transposed = try Self.write("f['vectors'] = X.T.astype(np.float64)\n" + idsLine, in: directory, name: "t.h5")
        try Self.expectReadsAll(transposed, layout: .matrix(dataset: "vectors", ids: idsName, rows: 5, width: 3, transposed: true))
        #expect(try HDF5EmbeddingReader(path: transposed.path).layout.description.contains("3 x 5 matrix /vectors (a column per id)"))
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func chunkedCompressedMatrixReadsTheSameRows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = try Self.write("""
            f.create_dataset("emb", data=X, chunks=(2, 3), compression="gzip")
            f.create_dataset("names", data=ids, dtype=h5py.string_dtype())
            """, in: directory)
        try Self.expectReadsAll(url, layout: .matrix(dataset: "emb", ids: "names", rows: 5, width: 3, transposed: false))
    }

    @Test(
        .enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"),
        arguments: [
        ("two matrices with ids", "f['a'] = X\nf['b'] = X * 2\nf['ids'] = np.array(ids, dtype='S10')", ["is ambiguous", "/a", "/b", "/ids"]),
        ("a matrix and vectors", "f['emb'] = X\nf['ids'] = np.array(ids, dtype='S10')\nf['Rv0001'] = X[0]", ["is ambiguous", "/emb", "/Rv0001"]),
        ("a matrix without ids", "f['emb'] = X\nf['ids'] = np.arange(5)", ["/emb (float32, 5 x 3)", "no 1-D string dataset", "/ids (int64, 5)"]),
        ("no vectors", "f['ids'] = np.array(ids, dtype='S10')\nf['n'] = np.arange(5)", ["holds no embedding vectors", "/ids (strings, 5)"]),
        ("an empty file", "pass", ["no datasets at all"]),
        ("duplicate ids", "f['emb'] = X\nf['ids'] = np.array(ids[:4] + ['Rv0002'], dtype='S10')", ["appears twice", "entries 1 and 4"]),
        ("a leaf name used twice", "g = f.create_group('emb')\nfor i, k in enumerate(ids): g[k] = X[i]\nf['Rv0002'] = np.arange(3)", ["names two datasets", "/Rv0002", "/emb/Rv0002"]),
    ])
    func ambiguousOrEmptyFilesAreRefusedNamingTheirDatasets(kind: String, body: String, words: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = try Self.write(body, in: directory)
        let error = try #require(throws: EmbeddingFileError.self) { try HDF5EmbeddingReader(path: url.path) }
        #expect(error.path == url.path)
        for word in words { #expect(error.description.contains(word), "\(kind): \(error)") }
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func emptyVectorsReadAsWidthZero() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let perID = try Self.write("for k in ids: f[k] = np.zeros(0, dtype=np.float32)", in: directory)
        let a = try HDF5EmbeddingReader(path: perID.path).read(ids: Self.ids)
        #expect(a.dim == 0 && a.values.isEmpty)
        let matrix = try Self.write("f['emb'] = np.zeros((5, 0), dtype=np.float32)\nf['ids'] = np.array(ids, dtype='S10')", in: directory, name: "m.h5")
        let reader = try HDF5EmbeddingReader(path: matrix.path)
        #expect(reader.layout == .matrix(dataset: "emb", ids: "ids", rows: 5, width: 0, transposed: false))
        let b = try reader.read(ids: Self.ids)
        #expect(b.dim == 0 && b.values.isEmpty)
    }
}
