import BelayFormats
import BelayLab
import BelayTestSupport
import Foundation
import Testing
@testable import BelayData

/// Loading a course folder never grades against a wrong reference: every common embedding layout and id style
/// gives the same dataset as the plain file, and data that does not line up stops with a message naming an id
/// from each file.
@Suite("Course dataset loading")
struct CourseDatasetTests {
    /// A small synthetic course folder (sheet + one float32 vector per protein at the root of a gzip'd HDF5).
    static func makeBase(_ directory: TemporaryDirectory) throws -> URL {
        let base = directory.file("base")
        try SynthGenerator.generate(SynthConfig(proteins: 90, labeled: 50, seed: 11, dimension: 8)).write(to: base)
        return base
    }

    /// A copy of `base`'s sheet next to an HDF5 file written by `python`, a body run with `vectors` (a dict from
    /// the base file's ids to float32 arrays), `ids` (sorted), `X` (the stacked vectors) and `f` open for writing.
    static func variant(_ python: String, of base: URL, in directory: TemporaryDirectory, name: String) throws -> URL {
        let folder = directory.file(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: base.appendingPathComponent(CourseDataset.sheetFileName),
            to: folder.appendingPathComponent(CourseDataset.sheetFileName))
        let body = python.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        _ = try Python.output(script: """
            import sys, gzip, io, h5py, numpy as np
            src = h5py.File(io.BytesIO(gzip.open(sys.argv[1]).read()), "r")
            ids = sorted(src.keys())
            vectors = {k: src[k][()] for k in ids}
            X = np.stack([vectors[k] for k in ids]).astype(np.float32)
            with h5py.File(sys.argv[2], "w") as f:
            \(body)
            """, arguments: [base.appendingPathComponent(CourseDataset.embeddingFileName).path,
                             folder.appendingPathComponent("embeddings.h5").path])
        return folder
    }

    /// The dataset at `folder` is `expected` in everything graded: proteins, embedding ids (the sheet's) and vectors.
    static func expectSame(_ dataset: CourseDataset, as expected: CourseDataset, _ comment: Comment) {
        #expect(dataset.proteins == expected.proteins, comment)
        #expect(dataset.embeddingIDs == expected.embeddingIDs, comment)
        #expect(dataset.embeddings == expected.embeddings, comment)
    }

    @Test(
        .enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"),
        arguments: [
        ("plain root datasets", "for k in ids: f[k] = vectors[k]", "one dataset per id at the root", IDMatchRule.exact),
        ("one group", "g = f.create_group('embeddings')\nfor k in ids: g[k] = vectors[k]", "one dataset per id under /embeddings", .exact),
        ("2-D matrix, S ids", "f['embeddings'] = X\nf['ids'] = np.array(ids, dtype='S16')", "matrix /embeddings with ids from /ids", .exact),
        ("2-D matrix, str ids", "f['embeddings'] = X\nf.create_dataset('ids', data=ids, dtype=h5py.string_dtype())", "matrix /embeddings", .exact),
        ("2-D matrix, bytes ids", "f['embeddings'] = X\nf.create_dataset('ids', data=np.array([k.encode() for k in ids], dtype=object), dtype=h5py.string_dtype('ascii'))", "matrix /embeddings", .exact),
        ("transposed matrix", "f['emb'] = X.T.copy()\nf['names'] = np.array(ids, dtype='S16')", "(a column per id)", .exact),
        ("lower-case ids", "for k in ids: f[k.lower()] = vectors[k]", "at the root", .caseInsensitive),
        ("version suffix", "for k in ids: f[k + '.1'] = vectors[k]", "at the root", .versionSuffix),
        ("UniProt FASTA headers", "f['X'] = X\nf['ids'] = np.array(['sp|%s|%s_MYCTU' % (k, k) for k in ids], dtype='S40')", "matrix /X", .fastaHeader),
        ("FASTA header with description", "f['X'] = X\nf.create_dataset('ids', data=['>tr|%s.2|N_MYCTU Some protein OS=M. tuberculosis' % k for k in ids], dtype=h5py.string_dtype())", "matrix /X", .fastaHeader),
    ])
    func everyLayoutAndIDStyleGivesTheSameDataset(kind: String, python: String, layout: String, rule: IDMatchRule) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let base = try Self.makeBase(directory)
        let expected = try CourseDataset.load(directory: base)
        #expect(expected.idMatching.counts == [.exact: expected.embeddingIDs.count])
        let folder = try Self.variant(python, of: base, in: directory, name: "variant")
        let dataset = try CourseDataset.load(directory: folder)
        Self.expectSame(dataset, as: expected, "\(kind)")
        #expect(dataset.embeddingFileCount == expected.embeddingFileCount, "\(kind)")
        #expect(dataset.embeddingLayout.contains(layout), "\(kind): \(dataset.embeddingLayout)")
        #expect(dataset.idMatching.counts == [rule: expected.embeddingIDs.count], "\(kind)")
        #expect(dataset.summary.contains(layout), "\(dataset.summary)")
        #expect(dataset.summary.contains("(\(expected.embeddingIDs.count) \(rule))"), "\(dataset.summary)")
    }

    @Test func theEmbeddedDataLoadsAndSaysHow() throws {
        let dataset = try CourseDataset.embeddedDefault()
        #expect(dataset.embeddingLayout == "one dataset per id at the root")
        #expect(dataset.idMatching.counts == [.exact: 2443])
        #expect(dataset.labelledIDs.count == 1654)
        let summary = dataset.summary
        #expect(summary.contains("3906 vectors of width 256"), "\(summary)")
        #expect(summary.contains("2443 of 2443 sheet ids have a vector (2443 exactly); 1654 of 1654 labelled"), "\(summary)")
    }

    /// A folder whose load must stop, and the words its message must hold.
    static func expectStops(_ folder: URL, _ words: [String]) {
        do {
            let dataset = try CourseDataset.load(directory: folder)
            Issue.record("loaded \(dataset.embeddingIDs.count) vectors; expected a stop naming \(words)")
        } catch let error as DatasetError {
            for word in words { #expect(error.description.contains(word), "\(error)") }
        } catch {
            Issue.record("expected a DatasetError, got \(error)")
        }
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func tooFewAlignedVectorsStopWithAnIDFromEachFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let base = try Self.makeBase(directory)
        let expected = try CourseDataset.load(directory: base)
        let firstLabelled = try #require(expected.labelledIDs.first)
        // The style of the issue: `embeddings/<ID>_X`, which no rule may pair with `<ID>`.
        let renamed = try Self.variant(
            "g = f.create_group('embeddings')\nfor k in ids: g[k.upper() + '_X'] = vectors[k]", of: base, in: directory, name: "renamed")
        Self.expectStops(renamed, [
            "only 0 of \(expected.labelledIDs.count) labelled proteins", "fewer than half", "`\(firstLabelled)`",
            "embeddings.h5 has `", "_X`", "one dataset per id under /embeddings", "Fix:",
        ])
        // Just under half of the labelled proteins keep their vector: still a stop; half is enough.
        let labelled = expected.labelledIDs.filter { expected.embeddingIDs.contains($0) }
        let keepFew = labelled.prefix((expected.labelledIDs.count - 1) / 2)
        let keepHalf = labelled.prefix((expected.labelledIDs.count + 1) / 2)
        let few = try Self.variant(
            "keep = {\(keepFew.map { "'\($0)'" }.joined(separator: ","))}\nfor k in ids:\n    if k in keep: f[k] = vectors[k]",
            of: base, in: directory, name: "few")
        Self.expectStops(few, ["only \(keepFew.count) of \(expected.labelledIDs.count)"])
        let half = try Self.variant(
            "keep = {\(keepHalf.map { "'\($0)'" }.joined(separator: ","))}\nfor k in ids:\n    if k in keep: f[k] = vectors[k]",
            of: base, in: directory, name: "half")
        #expect(try CourseDataset.load(directory: half).embeddingIDs.count == keepHalf.count)
    }

    @Test(
        .enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"),
        arguments: [("nan", "NaN"), ("inf", "inf"), ("-inf", "-inf")])
    func nonFiniteValuesStopNamingTheProtein(value: String, shown: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let base = try Self.makeBase(directory)
        let expected = try CourseDataset.load(directory: base)
        let victim = expected.embeddingIDs[3]
        let folder = try Self.variant(
            "X[ids.index('\(victim)'), 5] = float('\(value)')\nf['emb'] = X\nf['ids'] = np.array([k.lower() for k in ids], dtype='S16')",
            of: base, in: directory, name: "nonfinite")
        Self.expectStops(folder, ["sheet `\(victim)`", "embeddings.h5 `\(victim.lowercased())`", "holds \(shown) at position 5 of 8", "Recompute"])
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func widthZeroStops() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let base = try Self.makeBase(directory)
        let matrix = try Self.variant(
            "f['emb'] = np.zeros((len(ids), 0), dtype=np.float32)\nf['ids'] = np.array(ids, dtype='S16')", of: base, in: directory, name: "m")
        Self.expectStops(matrix, ["width 0", "sheet `", "embeddings.h5 `", "at least one float"])
        let perID = try Self.variant("for k in ids: f[k] = np.zeros(0, dtype=np.float32)", of: base, in: directory, name: "p")
        Self.expectStops(perID, ["width 0"])
    }

    @Test(.enabled(if: Python.isAvailable("h5py", "numpy"), "needs Python's h5py and numpy (CI requires them: BELAY_REQUIRE_PYTHON=1)"))
    func ambiguousIDsStopAndExactMatchesWin() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let base = try Self.makeBase(directory)
        let expected = try CourseDataset.load(directory: base)
        let target = expected.embeddingIDs[0]
        // Two inexact candidates for one sheet id: an error naming both.
        let twice = try Self.variant(
            "for k in ids: f[k.lower()] = vectors[k]\nf['\(target).1'] = vectors['\(target)'] * 2",
            of: base, in: directory, name: "twice")
        Self.expectStops(twice, ["\"\(target)\"", "\"\(target.lowercased())\"", "\"\(target).1\"", "cannot be paired"])
        // An exact match next to a look-alike: the exact one is used, and the look-alike is never read.
        let exact = try Self.variant(
            "for k in ids: f[k] = vectors[k]\nf['\(target.lowercased())'] = vectors['\(target)'] * 2",
            of: base, in: directory, name: "exact")
        Self.expectSame(try CourseDataset.load(directory: exact), as: expected, "exact wins")
    }

    @Test func matchingRulesNormalizeBothSides() throws {
        #expect(IDMatchRule.versionSuffix.key("P9WKJ3.12") == "p9wkj3")
        #expect(IDMatchRule.versionSuffix.key("Rv0001.c") == "rv0001.c")
        #expect(IDMatchRule.versionSuffix.key(".1") == ".1")
        #expect(IDMatchRule.fastaHeader.key(">sp|P9WKJ3|DNAA_MYCTU Chromosomal replication initiator") == "p9wkj3")
        #expect(IDMatchRule.fastaHeader.key("tr|A0A0H3|A0A0H3_MYCTU") == "a0a0h3")
        #expect(IDMatchRule.fastaHeader.key("> Rv0001 dnaA") == "rv0001")
        #expect(IDMatchRule.fastaHeader.key("gi|15607143|ref|NP_214516.1|") == "gi|15607143|ref|np_214516.1|")

        let matching = try IDMatching.match(
            sheetIDs: ["Rv0001", "P9WKJ3.1", "rv0002", "Q1", "Rv0001", "NONE"],
            fileIDs: ["Rv0001", "sp|P9WKJ3|DNAA_MYCTU", "RV0002", "q1.3", "other"])
        #expect(matching.fileIDBySheetID == ["Rv0001": "Rv0001", "P9WKJ3.1": "sp|P9WKJ3|DNAA_MYCTU", "rv0002": "RV0002", "Q1": "q1.3"])
        #expect(matching.counts == [.exact: 1, .fastaHeader: 1, .caseInsensitive: 1, .versionSuffix: 1])
        #expect(matching.countsDescription == "1 exactly, 1 ignoring case, 1 without a version suffix, 1 from a FASTA-style header")

        // Two sheet ids on one file id: an exact one keeps it; without one, an error naming both.
        let kept = try IDMatching.match(sheetIDs: ["rv0001", "Rv0001"], fileIDs: ["Rv0001"])
        #expect(kept.fileIDBySheetID == ["Rv0001": "Rv0001"])
        let error = try #require(throws: IDMatchingError.self) {
            try IDMatching.match(sheetIDs: ["rv0001", "RV0001"], fileIDs: ["Rv0001"])
        }
        #expect(error.sheetIDs == ["rv0001", "RV0001"] && error.fileIDs == ["Rv0001"])
    }
}
