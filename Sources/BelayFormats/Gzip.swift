internal import CZlibShim
import Foundation

/// An error from reading or writing gzip data.
public struct GzipError: Error, CustomStringConvertible, Sendable {
    /// The file involved, when there is one.
    public var path: String?
    /// What went wrong (zlib's own message where it gave one).
    public var message: String

    public init(path: String? = nil, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        if let path { return "\(path): gzip: \(message)" }
        return "gzip: \(message)"
    }
}

/// Gzip (RFC 1952) compression and decompression through zlib.
///
/// Decompression accepts concatenated members (as `cat a.gz b.gz` produces) and detects truncation;
/// compression writes a single member with no file name and a zero modification time, so the same
/// input and level always give the same bytes.
public enum Gzip {
    /// zlib's window bits plus 16: expect and write the gzip header and trailer.
    static let gzipWindowBits: Int32 = 15 + 16
    static let chunkSize = 1 << 16

    /// Decompresses a whole gzip stream held in memory.
    ///
    /// - Parameter limit: The largest decompressed size accepted; bigger output throws (a guard against
    ///   decompression bombs).
    /// - Complexity: O(*n*) in the decompressed size.
    public static func decompress(_ data: Data, limit: Int = 4 << 30) throws -> Data {
        var output = Data()
        try inflate(input: { first in first ? data : nil }, limit: limit, path: nil) { chunk in
            output.append(chunk)
        }
        return output
    }

    /// Compresses `data` into a single gzip member (deterministic: no name, modification time 0).
    ///
    /// - Parameter level: zlib level, 0 (store) to 9 (best); -1 is zlib's default (6).
    /// - Complexity: O(*n*).
    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        guard (-1...9).contains(level) else { throw GzipError(message: "compression level \(level) is not in -1...9") }
        var stream = z_stream()
        let status = czlib_deflate_init2(&stream, level, gzipWindowBits)
        guard status == Z_OK else { throw GzipError(message: "deflateInit2 failed (\(zlibMessage(stream, status)))") }
        defer { deflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var input = [UInt8](data)
        let inputCount = input.count
        try input.withUnsafeMutableBufferPointer { inputPointer in
            stream.next_in = inputPointer.baseAddress
            stream.avail_in = 0
            var offset = 0
            while true {
                if stream.avail_in == 0 && offset < inputCount {
                    let take = min(inputCount - offset, Int(UInt32.max >> 1))
                    stream.next_in = inputPointer.baseAddress.map { $0 + offset }
                    stream.avail_in = uInt(take)
                    offset += take
                }
                let flush = offset == inputCount ? Z_FINISH : Z_NO_FLUSH
                let result: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return deflate(&stream, flush)
                }
                let produced = chunkSize - Int(stream.avail_out)
                output.append(contentsOf: buffer[0..<produced])
                if result == Z_STREAM_END { break }
                guard result == Z_OK || result == Z_BUF_ERROR else {
                    throw GzipError(message: "deflate failed (\(zlibMessage(stream, result)))")
                }
            }
        }
        return output
    }

    /// Decompresses the gzip file at `source` into `destination` (created or truncated), streaming.
    ///
    /// - Parameter limit: The largest decompressed size accepted.
    /// - Complexity: O(*n*) time, O(1) memory beyond two 64 KiB buffers.
    public static func decompressFile(at source: URL, to destination: URL, limit: Int = 4 << 30) throws {
        let input: FileHandle
        do { input = try FileHandle(forReadingFrom: source) } catch {
            throw GzipError(path: source.path, message: "cannot open: \(error.localizedDescription)")
        }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
            throw GzipError(path: destination.path, message: "cannot create the output file")
        }
        let output: FileHandle
        do { output = try FileHandle(forWritingTo: destination) } catch {
            throw GzipError(path: destination.path, message: "cannot open for writing: \(error.localizedDescription)")
        }
        defer { try? output.close() }
        do {
            try inflate(input: { _ in
                let chunk = try input.read(upToCount: chunkSize * 4) ?? Data()
                return chunk.isEmpty ? nil : chunk
            }, limit: limit, path: source.path) { chunk in
                try output.write(contentsOf: chunk)
            }
        } catch var error as GzipError {
            error.path = source.path
            throw error
        }
    }

    /// The streaming core: pulls input chunks until `nil`, pushes output chunks, handles multiple members.
    static func inflate(input next: (_ first: Bool) throws -> Data?, limit: Int, path: String?,
                        output emit: (Data) throws -> Void) throws {
        var stream = z_stream()
        var status = czlib_inflate_init2(&stream, gzipWindowBits)
        guard status == Z_OK else { throw GzipError(path: path, message: "inflateInit2 failed (\(zlibMessage(stream, status)))") }
        defer { inflateEnd(&stream) }
        var outBuffer = [UInt8](repeating: 0, count: chunkSize)
        var total = 0
        var first = true
        var sawAnyInput = false
        var inMember = false  // true between the first byte of a member and its Z_STREAM_END
        var finishedMembers = 0
        while let chunk = try next(first) {
            first = false
            if chunk.isEmpty { continue }
            sawAnyInput = true
            var bytes = [UInt8](chunk)
            let count = bytes.count
            try bytes.withUnsafeMutableBufferPointer { inPointer in
                var consumed = 0
                var filled = false
                // Until the chunk is used up and zlib has no more output for it (a full output buffer may leave
                // output, even the member's end, inside zlib with no input left).
                repeat {
                    if !inMember {
                        if finishedMembers > 0 {
                            // A further member after a finished one.
                            status = inflateReset(&stream)
                            guard status == Z_OK else { throw GzipError(path: path, message: "inflateReset failed") }
                        }
                        inMember = true
                    }
                    stream.next_in = inPointer.baseAddress.map { $0 + consumed }
                    stream.avail_in = uInt(count - consumed)
                    let result: Int32 = outBuffer.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        return CZlibShim.inflate(&stream, Z_NO_FLUSH)
                    }
                    consumed = count - Int(stream.avail_in)
                    let produced = chunkSize - Int(stream.avail_out)
                    filled = produced == chunkSize
                    if produced > 0 {
                        total += produced
                        guard total <= limit else {
                            throw GzipError(path: path, message: "decompressed data exceeds the limit of \(limit) bytes")
                        }
                        try emit(Data(outBuffer[0..<produced]))
                    }
                    switch result {
                    case Z_STREAM_END:
                        inMember = false
                        finishedMembers += 1
                    case Z_OK:
                        break
                    case Z_BUF_ERROR:
                        // No progress possible: needs more input (if output had room).
                        if produced == 0 && stream.avail_in == 0 { break }
                        if produced == 0 {
                            throw GzipError(path: path, message: "corrupt gzip stream (no progress)")
                        }
                    case Z_DATA_ERROR where finishedMembers > 0 && stream.total_in < 10:
                        throw GzipError(path: path, message: "trailing data after the last gzip member is not gzip")
                    default:
                        throw GzipError(path: path, message: "corrupt gzip stream (\(zlibMessage(stream, result)))")
                    }
                } while consumed < count || (inMember && filled)
            }
        }
        guard sawAnyInput else { throw GzipError(path: path, message: "empty input, not a gzip stream") }
        if inMember { throw GzipError(path: path, message: "unexpected end of gzip stream (the file is truncated)") }
    }

    static func zlibMessage(_ stream: z_stream, _ status: Int32) -> String {
        if let message = stream.msg { return String(cString: message) }
        return "zlib status \(status)"
    }
}
