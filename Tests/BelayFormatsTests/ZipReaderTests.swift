import BelayFormats
import BelayTestSupport
import Foundation
import Testing

/// A zip archive assembled byte by byte, so that each field can lie.
struct HandZip {
    struct Item {
        var name: [UInt8]
        /// The bytes stored as the entry's data.
        var data: [UInt8]
        var method: UInt16
        var flags: UInt16 = 0
        var crc: UInt32
        /// The central directory's sizes (the local header keeps the true ones).
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var localExtra: [UInt8] = []
        var centralExtra: [UInt8] = []
        var localSignature: UInt32 = 0x0403_4b50
        let trueCompressedSize: UInt32
        let trueUncompressedSize: UInt32

        init(name: String, data: [UInt8], method: UInt16, crc: UInt32, uncompressedSize: UInt32) {
            self.name = Array(name.utf8)
            self.data = data
            self.method = method
            self.crc = crc
            compressedSize = UInt32(data.count)
            self.uncompressedSize = uncompressedSize
            trueCompressedSize = compressedSize
            trueUncompressedSize = uncompressedSize
        }
    }

    /// Raw deflate data and CRC-32 of `content`: a gzip member minus its 10-byte header and 8-byte trailer.
    static func deflated(_ name: String, _ content: [UInt8]) throws -> Item {
        let member = [UInt8](try Gzip.compress(Data(content), level: 6))
        let trailer = Array(member.suffix(8))
        let crc = UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24
        return Item(name: name, data: Array(member[10..<member.count - 8]), method: 8, crc: crc,
                    uncompressedSize: UInt32(content.count))
    }

    static func stored(_ name: String, _ content: [UInt8]) throws -> Item {
        var item = try deflated(name, content)
        item.data = content
        item.method = 0
        item.compressedSize = UInt32(content.count)
        return Item(name: name, data: content, method: 0, crc: item.crc, uncompressedSize: UInt32(content.count))
    }

    static func bytes(_ items: [Item], declaredCount: UInt16? = nil) -> Data {
        var out: [UInt8] = []
        func u16(_ v: UInt16, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32, _ into: inout [UInt8]) { u16(UInt16(v & 0xFFFF), &into); u16(UInt16(v >> 16), &into) }
        var offsets: [UInt32] = []
        for item in items {
            offsets.append(UInt32(out.count))
            u32(item.localSignature, &out)
            u16(20, &out); u16(item.flags, &out); u16(item.method, &out); u16(0, &out); u16(0x21, &out)
            u32(item.crc, &out); u32(item.trueCompressedSize, &out); u32(item.trueUncompressedSize, &out)
            u16(UInt16(item.name.count), &out); u16(UInt16(item.localExtra.count), &out)
            out += item.name + item.localExtra + item.data
        }
        let directoryStart = out.count
        for (item, offset) in zip(items, offsets) {
            u32(0x0201_4b50, &out)
            u16(0x031E, &out); u16(20, &out); u16(item.flags, &out); u16(item.method, &out); u16(0, &out); u16(0x21, &out)
            u32(item.crc, &out); u32(item.compressedSize, &out); u32(item.uncompressedSize, &out)
            u16(UInt16(item.name.count), &out); u16(UInt16(item.centralExtra.count), &out); u16(0, &out)
            u16(0, &out); u16(0, &out); u32(0o100644 << 16, &out); u32(offset, &out)
            out += item.name + item.centralExtra
        }
        let directorySize = out.count - directoryStart
        u32(0x0605_4b50, &out)
        u16(0, &out); u16(0, &out)
        u16(declaredCount ?? UInt16(items.count), &out); u16(declaredCount ?? UInt16(items.count), &out)
        u32(UInt32(directorySize), &out); u32(UInt32(directoryStart), &out); u16(0, &out)
        return Data(out)
    }
}

/// Reading damaged archives must end: the reads that once hung (or could) run through ``bounded(_:)``, which fails
/// the test when a read has not returned a minute after it began.
@Suite("Zip reader")
struct ZipReaderTests {
    struct Hung: Error {}
    struct MissingEntry: Error {}

    /// The read, handed to its own thread, and its result handed back (the semaphore orders the accesses).
    final class Handoff<Value>: @unchecked Sendable {
        let body: () throws -> Value
        var result: Result<Value, any Error>?
        init(_ body: @escaping () throws -> Value) { self.body = body }
    }

    /// `body`'s value or error, computed on a thread of its own; an issue (and `Hung`) if it has not returned
    /// `seconds` after it started. Not Swift Testing's `.timeLimit`, whose clock runs while the test waits for one of
    /// the test runner's few threads, so that a busy suite fails tests that never ran slowly.
    static func bounded<Value>(seconds: Double = 60, _ body: @escaping () throws -> Value,
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> Value {
        let handoff = Handoff(body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            handoff.result = Result { try handoff.body() }
            done.signal()
        }
        thread.start()
        guard done.wait(timeout: .now() + seconds) == .success, let result = handoff.result else {
            Issue.record("still reading after \(Int(seconds)) s: the reader hangs", sourceLocation: sourceLocation)
            throw Hung()
        }
        return try result.get()
    }
    /// The guard itself: a body that does not return in time is reported when its time is up, not when it returns.
    @Test func aReadThatDoesNotReturnInTimeIsReportedAtItsDeadline() throws {
        let start = Date()
        withKnownIssue("a body sleeping 30 s under a 0.2 s bound") {
            _ = try Self.bounded(seconds: 0.2) { Thread.sleep(forTimeInterval: 30); return 0 }
        }
        #expect(Date().timeIntervalSince(start) < 20)  // long before the body returns, even on a busy machine
        #expect(try Self.bounded(seconds: 10) { 42 } == 42)
    }

    /// About 80 KB of text that deflates well: more than one 64 KiB output chunk.
    static let text: [UInt8] = Array((0..<2_000).map { "line \($0): protein Rv\($0 % 97) length \($0 * 7 % 500)\n" }.joined().utf8)

    static func write(_ data: Data, _ name: String, in directory: TemporaryDirectory) throws -> URL {
        let url = directory.file(name)
        try data.write(to: url)
        return url
    }

    @Test func readsItsOwnHandBuiltArchive() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        var shifted = try HandZip.deflated("b.txt", Self.text)
        shifted.localExtra = [0x55, 0x54, 0x05, 0x00, 1, 0, 0, 0, 0]  // a local extra field the central one lacks
        // An empty file marked deflate but with no deflate data at all (some writers store it so).
        let empty = HandZip.Item(name: "empty.txt", data: [], method: 8, crc: 0, uncompressedSize: 0)
        let url = try Self.write(HandZip.bytes([try HandZip.stored("a.txt", Array("hello".utf8)), shifted, empty]), "ok.zip", in: directory)
        let reader = try ZipReader(url: url)
        #expect(reader.entries.map(\.path) == ["a.txt", "b.txt", "empty.txt"])
        #expect(try reader.contents(of: #require(reader["empty.txt"])) == [])
        #expect(try reader.contents(of: #require(reader["a.txt"])) == Array("hello".utf8))
        #expect(try reader.contents(of: #require(reader["b.txt"])) == Self.text)
        var chunks = 0
        try reader.read(#require(reader["b.txt"])) { chunk in
            chunks += 1
            #expect(chunk.count <= 1 << 16)
        }
        #expect(chunks >= 1)
    }

    /// The input the fuzzer found (ZIPFoundation 0.9.20 spun forever in `Data.decode` on it): its central directory
    /// claims 10 entries in the space of 3, and its workbook entry points into another entry's deflate stream.
    @Test func refusesTheFuzzerInputThatHungZIPFoundation() throws {
        let kept = try Paths.fixture("zip/xlsx-inflate-hang.xlsx")
        let opening = try #require(throws: ZipError.self) { try Self.bounded { try ZipReader(url: kept) } }
        #expect(opening.reason == .notAZip && opening.message.contains("central directory"), "\(opening)")
        let xlsx = try #require(throws: XLSXError.self) { try Self.bounded { try XLSXReader.read(at: kept) } }
        #expect(xlsx.message.contains("cannot open it as a zip archive"), "\(xlsx)")
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let unzip = try #require(throws: SafeUnzipError.self) {
            try Self.bounded { try SafeUnzip.extract(kept, to: directory.file("out")) }
        }
        #expect(unzip.message.contains("not a readable zip archive"), "\(unzip)")

        // With its end record made consistent (3 entries, 198 bytes), the entry's data itself is reached and refused.
        var bytes = [UInt8](try Data(contentsOf: kept))
        let eocd = bytes.count - 22
        #expect(bytes[eocd..<eocd + 4] == [0x50, 0x4B, 0x05, 0x06])
        bytes[eocd + 8] = 3; bytes[eocd + 10] = 3
        bytes[eocd + 12] = 198; bytes[eocd + 13] = 0
        let repaired = try Self.write(Data(bytes), "repaired.xlsx", in: directory)
        let reader = try Self.bounded { try ZipReader(url: repaired) }
        #expect(reader.entries.map(\.path) == ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"])
        let workbook = try #require(reader["xl/workbook.xml"])
        let cut = try #require(throws: ZipError.self) { try Self.bounded { try reader.contents(of: workbook) } }
        #expect(cut.reason == .corrupt && cut.message.contains("more than its declared 615 bytes"), "\(cut)")
        let xlsx2 = try #require(throws: XLSXError.self) { try Self.bounded { try XLSXReader.read(at: repaired) } }
        #expect(xlsx2.part == "xl/workbook.xml" && xlsx2.message.contains("more than its declared"), "\(xlsx2)")
        let unzip2 = try #require(throws: SafeUnzipError.self) {
            try Self.bounded { try SafeUnzip.extract(repaired, to: directory.file("out2")) }
        }
        #expect(unzip2.entry == "xl/workbook.xml" && unzip2.message.contains("more than its declared"), "\(unzip2)")
    }

    /// One damage each, and the words its error must contain.
    static let damages: [(String, String)] = [
        ("cut deflate data", "does not end within its"),
        ("compressed size past the end", "run past the end"),
        ("uncompressed size too small", "more than its declared"),
        ("uncompressed size too large", "not its declared"),
        ("flipped CRC", "CRC-32"),
        ("encrypted flag", "is encrypted"),
        ("method 12", "compression method 12 (bzip2)"),
        ("stored sizes differ", "stored, but its compressed size"),
        ("bad local signature", "no local header signature"),
        ("invalid deflate block", "corrupt deflate stream"),
        ("zip64 marker without extra", "no zip64 extra field"),
    ]

    static func damaged(_ damage: String) throws -> Data {
        var item = try HandZip.deflated("data.txt", Self.text)
        switch damage {
        case "cut deflate data":
            item.data = Array(item.data.prefix(item.data.count / 2))
            item.compressedSize = UInt32(item.data.count)
        case "compressed size past the end": item.compressedSize += 100_000
        case "uncompressed size too small": item.uncompressedSize -= 100
        case "uncompressed size too large": item.uncompressedSize += 100
        case "flipped CRC": item.crc ^= 0x0000_0001
        case "encrypted flag": item.flags |= 1
        case "method 12": item.method = 12
        case "stored sizes differ":
            item = try HandZip.stored("data.txt", Self.text)
            item.compressedSize -= 1
        case "bad local signature": item.localSignature = 0x0403_4b51
        case "invalid deflate block": item.data[0] = 0x07  // final block of the reserved type 3
        case "zip64 marker without extra": item.uncompressedSize = 0xFFFF_FFFF
        default: Issue.record("unknown damage \(damage)")
        }
        return HandZip.bytes([item])
    }

    @Test(arguments: damages)
    func refusesEachDamageWithItsOwnMessage(damage: String, words: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = try Self.write(try Self.damaged(damage), "damaged.zip", in: directory)
        let error = try #require(throws: ZipError.self) {
            try Self.bounded {
                let reader = try ZipReader(url: url)
                guard let entry = reader["data.txt"] else { throw MissingEntry() }
                return try reader.contents(of: entry)
            }
        }
        #expect(error.message.contains(words), "\(damage): \(error)")
        // Every message is distinct: the other damages' words are not in it.
        for (other, otherWords) in Self.damages where other != damage {
            #expect(!error.message.contains(otherWords), "\(damage) reads like \(other): \(error)")
        }
        // The callers refuse it too, in their own words.
        let unzip = try #require(throws: SafeUnzipError.self) {
            try Self.bounded { try SafeUnzip.extract(url, to: directory.file("out")) }
        }
        #expect(unzip.message.contains(words), "\(unzip)")
    }

    @Test func refusesCountsThatCannotFitAndHonoursLimits() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let items = [try HandZip.stored("a.txt", Array("a".utf8)), try HandZip.stored("b.txt", Array("b".utf8))]
        let lying = try Self.write(HandZip.bytes(items, declaredCount: 60_000), "lying.zip", in: directory)
        let overfull = try #require(throws: ZipError.self) { try ZipReader(url: lying) }
        #expect(overfull.reason == .notAZip && overfull.message.contains("60000 entries, more than fit"), "\(overfull)")
        let capped = try #require(throws: ZipError.self) { try ZipReader(url: lying, maxEntries: 10) }
        #expect(capped.reason == .tooManyEntries(declared: 60_000, limit: 10), "\(capped)")

        let honest = try Self.write(HandZip.bytes([try HandZip.deflated("t.txt", Self.text)]), "honest.zip", in: directory)
        let reader = try ZipReader(url: honest)
        let entry = try #require(reader["t.txt"])
        let limited = try #require(throws: ZipError.self) { try reader.contents(of: entry, limit: 1_000) }
        #expect(limited.reason == .overLimit && limited.message.contains("limit of 1000"), "\(limited)")
        // An error thrown by the consumer comes back unchanged and stops the reading.
        struct Stop: Error {}
        var calls = 0
        #expect(throws: Stop.self) { try reader.read(entry) { _ in calls += 1; throw Stop() } }
        #expect(calls == 1)

        for junk in [Data(), Data("PK".utf8), Data(repeating: 0, count: 100), Data("PK\u{05}\u{06}".utf8) + Data(repeating: 0xFF, count: 18)] {
            let url = try Self.write(junk, "junk.zip", in: directory)
            #expect(throws: ZipError.self) { try ZipReader(url: url) }
        }
    }

    // MARK: Interoperability with real writers

    struct PythonEntry: Decodable, Equatable {
        var name: String
        var kind: String
        var data: String
    }

    /// What Python's zipfile reads from `url`: names, kinds (by ZIPFoundation's rule) and base64 contents.
    static func pythonReads(_ url: URL) throws -> [PythonEntry] {
        let json = try Python.output(script: """
            import base64, json, stat, sys, zipfile
            out = []
            with zipfile.ZipFile(sys.argv[1]) as z:
                for info in z.infolist():
                    mode = info.external_attr >> 16
                    kind = "directory" if info.is_dir() else "file"
                    if info.create_system in (3, 19):
                        if stat.S_ISLNK(mode): kind = "symlink"
                        elif stat.S_ISDIR(mode): kind = "directory"
                        elif stat.S_ISREG(mode): kind = "file"
                    elif info.create_system == 0 and info.external_attr & 0x10:
                        kind = "directory"
                    out.append({"name": info.filename, "kind": kind, "data": base64.b64encode(z.read(info)).decode()})
            print(json.dumps(out))
            """, arguments: [url.path])
        return try JSONDecoder().decode([PythonEntry].self, from: Data(json.utf8))
    }

    static func belayReads(_ url: URL) throws -> [PythonEntry] {
        let reader = try ZipReader(url: url)
        return try reader.entries.map { entry in
            let kind = switch entry.kind { case .file: "file"; case .directory: "directory"; case .symlink: "symlink" }
            return PythonEntry(name: entry.path, kind: kind, data: Data(try reader.contents(of: entry)).base64EncodedString())
        }
    }

    @Test(.enabled(if: Python.isAvailable(), "needs Python (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func readsWhatPythonsZipfileWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Python.run(script: """
            import os, sys, zipfile
            d = sys.argv[1]
            big = "".join(f"row {i},{i * 7 % 1000},{'x' * (i % 13)}\\n" for i in range(20000)).encode()
            noise = bytes((i * 2654435761 >> 7) & 0xFF for i in range(70000))
            def fill(z, compression):
                z.writestr("a.txt", "hello\\n", compress_type=compression)
                z.writestr("empty.txt", b"", compress_type=compression)
                z.writestr("naïve/ünïcødé.csv", "x,y\\n1,2\\n", compress_type=compression)
                z.mkdir("folder") if hasattr(z, "mkdir") else z.writestr(zipfile.ZipInfo("folder/"), b"")
                z.writestr("folder/big.csv", big, compress_type=compression)
                z.writestr("noise.bin", noise, compress_type=compression)
                link = zipfile.ZipInfo("link")
                link.create_system = 3
                link.external_attr = 0o120777 << 16
                z.writestr(link, "a.txt", compress_type=compression)
            for name, compression in [("stored.zip", zipfile.ZIP_STORED), ("deflated.zip", zipfile.ZIP_DEFLATED)]:
                with zipfile.ZipFile(os.path.join(d, name), "w") as z:
                    fill(z, compression)
            # zip64 extra fields in the local headers only.
            with zipfile.ZipFile(os.path.join(d, "zip64-local.zip"), "w", zipfile.ZIP_DEFLATED) as z:
                for n in ("one.txt", "two.txt"):
                    with z.open(n, "w", force_zip64=True) as f:
                        f.write(big)
            # zip64 everywhere: with tiny limits, zipfile writes 0x0001 extra fields in the central directory
            # (sizes and offsets) and the zip64 end record and locator, as it would for a 4 GiB archive.
            zipfile.ZIP64_LIMIT = 16
            zipfile.ZIP_FILECOUNT_LIMIT = 1
            with zipfile.ZipFile(os.path.join(d, "zip64-full.zip"), "w", zipfile.ZIP_DEFLATED) as z:
                fill(z, zipfile.ZIP_DEFLATED)
            with zipfile.ZipFile(os.path.join(d, "zip64-full.zip")) as z:
                marked = sum(i.extra[:2] == bytes([1, 0]) for i in z.infolist())
                assert marked >= 5, f"only {marked} zip64 extra fields in the central directory"
            """, arguments: [directory.path])
        // CP437 names: zipfile writes non-ASCII names as flagged UTF-8, so write ASCII placeholders and patch in
        // every byte from 0x80 to 0xFF (not valid UTF-8), in both the local header and the central directory.
        let placeholder = Data(repeating: UInt8(ascii: "q"), count: 128)
        try Python.run(script: """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("caf_.txt", "cp437 e-acute")
                z.writestr("q" * 128, "the whole high half")
            """, arguments: [directory.file("cp437.zip").path])
        var cp437 = try Data(contentsOf: directory.file("cp437.zip"))
        cp437 = cp437.replacing(Data("caf_.txt".utf8), with: Data([0x63, 0x61, 0x66, 0x82]) + Data(".txt".utf8))
        cp437 = cp437.replacing(placeholder, with: Data((0x80...0xFF).map { UInt8($0) }))
        try cp437.write(to: directory.file("cp437.zip"))

        for name in ["stored.zip", "deflated.zip", "zip64-local.zip", "zip64-full.zip", "cp437.zip"] {
            let url = directory.file(name)
            let python = try Self.pythonReads(url)
            #expect(try Self.belayReads(url) == python, "\(name)")
            #expect(python.count >= 2, "\(name)")
        }
        let cp437Names = try ZipReader(url: directory.file("cp437.zip")).entries.map(\.path)
        #expect(cp437Names.first == "café.txt")
        let kinds = try ZipReader(url: directory.file("deflated.zip")).entries.map(\.kind)
        #expect(kinds.contains(.directory) && kinds.contains(.symlink))
        // zip64-full really is zip64: a zip64 end record locator precedes the end record.
        let full = [UInt8](try Data(contentsOf: directory.file("zip64-full.zip")))
        #expect(Array(full.suffix(42).prefix(4)) == [0x50, 0x4B, 0x06, 0x07])

        // The callers: a symlink is refused, the rest extracts to Python's bytes.
        let unzip = try #require(throws: SafeUnzipError.self) {
            try SafeUnzip.extract(directory.file("zip64-full.zip"), to: directory.file("out"))
        }
        #expect(unzip.entry == "link" && unzip.message.contains("symbolic link"))
        #expect(try SafeUnzip.filePaths(directory.file("deflated.zip")).map { $0.joined(separator: "/") }
            == ["a.txt", "empty.txt", "naïve/ünïcødé.csv", "folder/big.csv", "noise.bin"])
    }

    /// The `zip` command (Debian's `zip`, from scripts/setup). Where CI requires the cross-checks
    /// (BELAY_REQUIRE_PYTHON=1) the test runs regardless, so a missing command fails it instead of skipping it.
    static let zipCLI = FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") || Python.isRequired

    @Test(.enabled(if: zipCLI && Python.isAvailable(), "needs the zip command and Python"))
    func readsWhatTheZipCommandWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let source = directory.file("src")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(Self.text).write(to: source.appendingPathComponent("sub/text.txt"))
        try Data("tiny".utf8).write(to: source.appendingPathComponent("tiny.txt"))
        try FileManager.default.createSymbolicLink(atPath: source.appendingPathComponent("link").path, withDestinationPath: "tiny.txt")
        // Recursive with links kept as links (-y), deflated and stored (-0); and from standard input, where zip
        // writes a data descriptor (flag bit 3) after the entry when its output is a pipe.
        for command in ["zip -q -r -y ../deflated.zip .", "zip -q -r -y -0 ../stored.zip .", "zip -q - - < sub/text.txt | cat > ../streamed.zip"] {
            let run = try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "cd \"$1\" && " + command, "sh", source.path],
                                           environment: ["PATH": "/usr/bin:/bin"])
            #expect(run.status == 0, "\(command): \(run.stderr)")
        }
        for name in ["deflated.zip", "stored.zip", "streamed.zip"] {
            let url = directory.file(name)
            #expect(try Self.belayReads(url) == Self.pythonReads(url), "\(name)")
        }
        let kinds = Dictionary(uniqueKeysWithValues: try ZipReader(url: directory.file("deflated.zip")).entries.map { ($0.path, $0.kind) })
        #expect(kinds["link"] == .symlink && kinds["sub/"] == .directory && kinds["tiny.txt"] == .file)
        #expect((try ZipReader(url: directory.file("streamed.zip")).entries.first?.flags ?? 0) & 8 == 8)
    }

    @Test(.enabled(if: Python.isAvailable("openpyxl"), "needs Python's openpyxl (CI requires it: BELAY_REQUIRE_PYTHON=1)"))
    func readsWhatOpenpyxlWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("book.xlsx")
        try Python.run(script: """
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Proteins"
            ws.append(["protein_id", "length", "location"])
            for i in range(3000):
                ws.append([f"Rv{i:04d}", i * 7 % 900, "Cytoplasm" if i % 3 else "Membrane"])
            wb.create_sheet("Notes").append(["ünïcødé", 1.5])
            wb.save(sys.argv[1])
            """, arguments: [url.path])
        let python = try Self.pythonReads(url)
        #expect(python.contains { $0.name == "xl/workbook.xml" })
        #expect(try Self.belayReads(url) == python)
        let sheet = try XLSXReader.read(at: url, sheet: "Proteins")
        #expect(sheet.rows.count == 3001)
    }
}
