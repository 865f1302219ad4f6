import BelayFormats
import BelayTestSupport
import Foundation
import Testing

@Suite("Gzip")
struct GzipTests {
    private let sample = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) })

    @Test func roundTripsAndIsDeterministic() throws {
        let packed = try Gzip.compress(sample)
        #expect(packed.count < sample.count)
        #expect(Array(packed.prefix(3)) == [0x1F, 0x8B, 0x08])
        #expect(Array(packed[4..<8]) == [0, 0, 0, 0], "no modification time in the header")
        #expect(try Gzip.compress(sample) == packed)
        #expect(try Gzip.decompress(packed) == sample)
        #expect(try Gzip.decompress(try Gzip.compress(Data())) == Data())
    }

    @Test func pythonAgreesBothWays() throws {
        let packed = try Gzip.compress(Data("hello, gzip\n".utf8))
        let text = try Python.output(script: "import sys, gzip; sys.stdout.write(gzip.decompress(sys.stdin.buffer.read()).decode())",
                                     stdin: packed)
        #expect(text == "hello, gzip\n")
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let url = directory.file("py.gz")
        try Python.run(script: "import sys, gzip; open(sys.argv[1], 'wb').write(gzip.compress(b'from python' * 1000, mtime=5))",
                       arguments: [url.path])
        #expect(try Gzip.decompress(Data(contentsOf: url)) == Data(String(repeating: "from python", count: 1000).utf8))
    }

    /// Highly compressible data decompressing to exact multiples of the reader's 64 KiB output buffer, in memory and
    /// streamed: the edge where a chunk's input is used up as the buffer fills (the gzip trailer keeps input back
    /// today, so this guards the loop rather than reproducing a failure).
    @Test func outputPendingWhenTheInputRunsOutIsNotTruncation() throws {
        for size in [65_536, 131_072, 65_536 * 5, 65_536 * 64, 65_536 * 64 + 1] {
            let zeros = Data(count: size)
            let packed = try Gzip.compress(zeros, level: 9)
            #expect(try Gzip.decompress(packed) == zeros, "\(size) zero bytes")
            let directory = try TemporaryDirectory()
            defer { directory.cleanup() }
            try packed.write(to: directory.file("z.gz"))
            try Gzip.decompressFile(at: directory.file("z.gz"), to: directory.file("z"))
            #expect(try Data(contentsOf: directory.file("z")) == zeros, "\(size) zero bytes, streamed")
        }
    }

    @Test func acceptsConcatenatedMembers() throws {
        let joined = try Gzip.compress(Data("first ".utf8)) + Gzip.compress(Data("second".utf8))
        #expect(try Gzip.decompress(joined) == Data("first second".utf8))
        let emptyFirst = try Gzip.compress(Data()) + Gzip.compress(Data("x".utf8))
        #expect(try Gzip.decompress(emptyFirst) == Data("x".utf8))
        let garbage = try #require(throws: GzipError.self) { try Gzip.decompress(joined + Data("not gzip at all".utf8)) }
        #expect(garbage.message.contains("trailing data after the last gzip member"), "\(garbage)")
    }

    @Test func detectsTruncationCorruptionAndTheSizeCap() throws {
        let packed = try Gzip.compress(sample)
        for cut in [1, 4, packed.count / 2, packed.count - 1] {
            let error = try #require(throws: GzipError.self) { try Gzip.decompress(packed.prefix(cut)) }
            #expect(error.message.contains("unexpected end of gzip stream") || error.message.contains("corrupt"), "cut \(cut): \(error)")
        }
        let tail = try #require(throws: GzipError.self) { try Gzip.decompress(packed.prefix(packed.count - 4)) }
        #expect(tail.message.contains("unexpected end of gzip stream"))
        #expect(throws: GzipError.self) { try Gzip.decompress(Data("plain text".utf8)) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Data()) }
        var flipped = packed
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: GzipError.self) { try Gzip.decompress(flipped) }
        let capped = try #require(throws: GzipError.self) { try Gzip.decompress(packed, limit: 1000) }
        #expect(capped.message.contains("exceeds the limit of 1000 bytes"))
    }

    @Test func decompressesFilesStreaming() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let source = directory.file("in.gz"), target = directory.file("out.bin")
        try Gzip.compress(sample).write(to: source)
        try Gzip.decompressFile(at: source, to: target)
        #expect(try Data(contentsOf: target) == sample)
        try Gzip.compress(sample).prefix(500).write(to: source)
        let error = try #require(throws: GzipError.self) { try Gzip.decompressFile(at: source, to: target) }
        #expect(error.path == source.path)
        #expect(error.description.contains("in.gz"))
    }
}
