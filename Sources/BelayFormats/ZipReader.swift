internal import CZlibShim
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An archive that cannot be read, or an entry of it that cannot be listed or decompressed.
public struct ZipError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for callers that word their own messages.
    public enum Reason: Sendable, Equatable {
        /// The file is not a zip archive, or its central directory is damaged.
        case notAZip
        /// The central directory declares more entries than the caller's limit.
        case tooManyEntries(declared: UInt64, limit: Int)
        /// The entry is encrypted or uses a compression method other than stored (0) and deflate (8).
        case unsupported
        /// The entry's data is truncated, corrupt, or disagrees with its declared sizes or CRC-32.
        case corrupt
        /// The entry decompresses to more than the caller's limit.
        case overLimit
        /// The file could not be opened or read.
        case io
    }

    /// The archive's path.
    public var path: String
    /// The entry's path inside the archive, when one entry is at fault.
    public var entry: String?
    public var reason: Reason
    public var message: String

    public init(path: String, entry: String? = nil, reason: Reason, message: String) {
        self.path = path
        self.entry = entry
        self.reason = reason
        self.message = message
    }

    public var description: String {
        if let entry { return "\(path): entry \"\(entry)\": \(message)" }
        return "\(path): \(message)"
    }
}

/// One entry of a zip archive's central directory.
public struct ZipEntry: Sendable, Hashable {
    /// What an entry stands for.
    public enum Kind: Sendable, Hashable {
        case file, directory, symlink
    }

    /// The entry's path inside the archive, decoded as UTF-8 (flag bit 11 set, or valid UTF-8) or else CP437.
    public var path: String
    /// The raw name bytes, as stored.
    public var rawPath: [UInt8]
    public var kind: Kind
    /// The compression method: 0 stored, 8 deflate; anything else cannot be read.
    public var method: UInt16
    /// The general-purpose flags (bit 0: encrypted, bit 3: data descriptor, bit 11: UTF-8 name).
    public var flags: UInt16
    public var crc32: UInt32
    public var compressedSize: UInt64
    public var uncompressedSize: UInt64
    /// Where the entry's local header starts in the file.
    public var localHeaderOffset: UInt64
    /// "Version made by": the high byte is the host system (0 MS-DOS, 3 Unix, 19 OS X).
    public var versionMadeBy: UInt16
    public var externalAttributes: UInt32

    /// Whether flag bit 0 (traditional PKWARE or strong encryption) is set.
    public var isEncrypted: Bool { flags & 1 != 0 }

    /// A readable name for the compression method.
    public var methodName: String { Self.methodName(method) }

    static func methodName(_ method: UInt16) -> String {
        switch method {
        case 0: "stored"
        case 1: "shrunk"
        case 6: "imploded"
        case 8: "deflate"
        case 9: "deflate64"
        case 12: "bzip2"
        case 14: "LZMA"
        case 93: "Zstandard"
        case 95: "xz"
        case 98: "PPMd"
        case 99: "WinZip AES encryption"
        default: "unknown"
        }
    }

    /// The entry's kind by ZIPFoundation's rule: Unix and OS X hosts by the `S_IFMT` bits of the external
    /// attributes' high half, MS-DOS by its directory attribute (0x10), any host by a trailing `/`.
    static func kind(path: String, versionMadeBy: UInt16, externalAttributes: UInt32) -> Kind {
        let slash = path.hasSuffix("/")
        switch versionMadeBy >> 8 {
        case 3, 19:
            switch (externalAttributes >> 16) & 0o170000 {
            case 0o100000: return .file
            case 0o040000: return .directory
            case 0o120000: return .symlink
            default: return slash ? .directory : .file
            }
        case 0:
            return slash || externalAttributes & 0x10 != 0 ? .directory : .file
        default:
            return slash ? .directory : .file
        }
    }
}

/// Reads zip archives from outside (student submissions, course spreadsheets) without trusting them.
///
/// The central directory is read once, with every offset, size and count checked against the file's size and
/// `maxEntries` before anything is allocated for it; zip64 archives are supported. Entries are read through their
/// local header and exactly their compressed size, stored or deflated, and checked against their declared
/// size and CRC-32: a deflate stream that does not end within its compressed bytes is an error, never a loop.
/// Encrypted entries and other compression methods are refused with an error naming them.
///
/// ZIPFoundation is used only to *write* archives (XLSXWriter, Gradescope bundles): its reader can spin forever
/// on a truncated deflate stream on Linux (ZIPFoundation 0.9.20, fixed upstream in PR #389).
public final class ZipReader {
    /// The archive's location.
    public let url: URL
    /// The central directory's entries, in order (duplicates kept).
    public let entries: [ZipEntry]
    /// The file's size when it was opened.
    public let fileSize: UInt64
    private let file: ReadOnlyFile
    /// The first entry of each path.
    private let index: [String: Int]

    /// Default cap on entries.
    public static let defaultMaxEntries = 100_000
    static let chunkSize = 1 << 16

    /// Opens `url` and reads its central directory.
    ///
    /// - Throws: ``ZipError`` (`.io`, `.notAZip`, or `.tooManyEntries` when the directory declares more than
    ///   `maxEntries`; checked before the directory is read).
    /// - Complexity: O(*n*) in the size of the central directory.
    public init(url: URL, maxEntries: Int = ZipReader.defaultMaxEntries) throws {
        self.url = url
        let path = url.path
        file = try ReadOnlyFile(path: path)
        fileSize = file.size
        entries = try CentralDirectory.read(file, path: path, maxEntries: maxEntries)
        var index: [String: Int] = [:]
        for (k, entry) in entries.enumerated() where index[entry.path] == nil { index[entry.path] = k }
        self.index = index
    }

    /// The first entry with exactly this path.
    public subscript(path: String) -> ZipEntry? {
        index[path].map { entries[$0] }
    }

    /// Throws when `entry` cannot be read by this reader (encrypted, or neither stored nor deflated).
    public func checkSupported(_ entry: ZipEntry) throws {
        if entry.isEncrypted {
            throw ZipError(path: url.path, entry: entry.path, reason: .unsupported,
                           message: "is encrypted (method \(entry.method), \(entry.methodName)); encrypted entries are not supported")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ZipError(path: url.path, entry: entry.path, reason: .unsupported,
                           message: "uses compression method \(entry.method) (\(entry.methodName)), which is not supported (only stored and deflate are)")
        }
    }

    /// Decompresses `entry`, handing its content to `consume` in chunks of at most 64 KiB, in order.
    ///
    /// - Parameter limit: The largest content accepted (beside the entry's own declared size); more throws
    ///   `.overLimit` before the chunk that crosses it is handed over.
    /// - Throws: ``ZipError``, or whatever `consume` throws (unchanged).
    /// - Complexity: O(*n*) in the entry's compressed plus uncompressed size; O(1) memory.
    public func read(_ entry: ZipEntry, limit: UInt64 = .max, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        try checkSupported(entry)
        let start = try dataOffset(of: entry)
        guard start <= fileSize, entry.compressedSize <= fileSize - start else {
            throw corrupt(entry, "is truncated: its \(entry.compressedSize) compressed bytes at offset \(start) run past the end of the \(fileSize)-byte file")
        }
        if entry.uncompressedSize > limit {
            throw ZipError(path: url.path, entry: entry.path, reason: .overLimit,
                           message: "is \(entry.uncompressedSize) bytes uncompressed, more than the limit of \(limit)")
        }
        var crc = UInt(CZlibShim.crc32(0, nil, 0))
        var total: UInt64 = 0
        func emit(_ chunk: UnsafeRawBufferPointer) throws {
            guard !chunk.isEmpty else { return }
            total += UInt64(chunk.count)
            guard total <= entry.uncompressedSize else {
                throw corrupt(entry, "decompresses to more than its declared \(entry.uncompressedSize) bytes")
            }
            crc = CZlibShim.crc32(crc, chunk.bindMemory(to: Bytef.self).baseAddress, uInt(chunk.count))
            try consume(chunk)
        }
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw corrupt(entry, "is stored, but its compressed size (\(entry.compressedSize)) differs from its uncompressed size (\(entry.uncompressedSize))")
            }
            try readRange(entry, from: start, count: entry.compressedSize) { try emit($0) }
        } else if entry.compressedSize > 0 || entry.uncompressedSize > 0 {
            try inflate(entry, from: start, emit: emit)
        }  // else an empty file with no deflate data at all, as some writers store it: nothing to inflate
        guard total == entry.uncompressedSize else {
            throw corrupt(entry, "decompresses to \(total) bytes, not its declared \(entry.uncompressedSize)")
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else {
            throw corrupt(entry, "fails its CRC-32 check (computed \(hex(UInt32(truncatingIfNeeded: crc))), declared \(hex(entry.crc32)))")
        }
    }

    /// The whole content of `entry`.
    ///
    /// - Complexity: O(*n*) in the entry's size.
    public func contents(of entry: ZipEntry, limit: UInt64 = .max) throws -> [UInt8] {
        var bytes: [UInt8] = []
        // The declared size may lie: reserve at most 16 MiB up front, grow beyond that only as data arrives.
        if entry.uncompressedSize <= limit { bytes.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 24))) }
        try read(entry, limit: limit) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Where `entry`'s data starts: after its local header's name and extra field (both lengths from the local
    /// header, which may differ from the central directory's).
    func dataOffset(of entry: ZipEntry) throws -> UInt64 {
        let offset = entry.localHeaderOffset
        guard offset <= fileSize, fileSize - offset >= 30 else {
            throw corrupt(entry, "its local header (offset \(offset)) lies beyond the end of the \(fileSize)-byte file")
        }
        let header = try file.read(at: offset, count: 30)
        guard header.count == 30, le32(header, 0) == 0x0403_4b50 else {
            throw corrupt(entry, "has no local header signature at offset \(offset)")
        }
        return offset + 30 + UInt64(le16(header, 26)) + UInt64(le16(header, 28))
    }

    /// Hands `count` bytes from `offset` to `body`, a chunk at a time.
    private func readRange(_ entry: ZipEntry, from offset: UInt64, count: UInt64,
                           _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var position = offset
        var remaining = count
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while remaining > 0 {
            let want = Int(min(remaining, UInt64(Self.chunkSize)))
            let got = try buffer.withUnsafeMutableBytes { try file.read(at: position, into: $0.baseAddress!, count: want) }
            guard got == want else { throw corrupt(entry, "is truncated (the file ended while reading it)") }
            position += UInt64(got)
            remaining -= UInt64(got)
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
        }
    }

    /// Raw inflate of exactly `entry.compressedSize` bytes from `offset`.
    private func inflate(_ entry: ZipEntry, from offset: UInt64, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = z_stream()
        let status = czlib_inflate_init2(&stream, -15)
        guard status == Z_OK else {
            throw ZipError(path: url.path, entry: entry.path, reason: .io, message: "inflateInit2 failed (zlib status \(status))")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Self.chunkSize)
        var ended = false
        try readRange(entry, from: offset, count: entry.compressedSize) { chunk in
            guard !ended else { return }  // bytes after the stream's end are ignored, as zip readers do
            let count = chunk.count
            let base = UnsafeMutablePointer(mutating: chunk.bindMemory(to: Bytef.self).baseAddress!)
            var consumed = 0
            var produced = 0
            // Each pass consumes input or produces output (bounded by the declared size), or stops.
            repeat {
                stream.next_in = base + consumed
                stream.avail_in = uInt(count - consumed)
                let result: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return CZlibShim.inflate(&stream, Z_NO_FLUSH)
                }
                consumed = count - Int(stream.avail_in)
                produced = Self.chunkSize - Int(stream.avail_out)
                if produced > 0 { try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
                switch result {
                case Z_STREAM_END:
                    ended = true
                case Z_OK:
                    break
                case Z_BUF_ERROR where produced == 0 && consumed == count:
                    break  // needs more input
                default:
                    let detail = stream.msg.map { String(cString: $0) } ?? "zlib status \(result)"
                    throw corrupt(entry, "has a corrupt deflate stream (\(detail))")
                }
            } while !ended && (consumed < count || produced == Self.chunkSize)
        }
        guard ended else {
            throw corrupt(entry, "is truncated or corrupt: its deflate stream does not end within its \(entry.compressedSize) compressed bytes")
        }
    }

    private func corrupt(_ entry: ZipEntry, _ message: String) -> ZipError {
        ZipError(path: url.path, entry: entry.path, reason: .corrupt, message: message)
    }
}

@available(*, unavailable)
extension ZipReader: Sendable {}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}

func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
}

func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16
}

func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32
}

/// A file opened for positioned reads; closed in `deinit`.
final class ReadOnlyFile {
    let path: String
    let size: UInt64
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ZipError(path: path, reason: .io, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var isDirectory: ObjCBool = false
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0, !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) else {
            close(descriptor)
            throw ZipError(path: path, reason: .io, message: "not a regular file")
        }
        self.descriptor = descriptor
        size = UInt64(end)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset` into `buffer`; fewer only at the end of the file.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let got = pread(descriptor, buffer + done, count - done, off_t(offset) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw ZipError(path: path, reason: .io, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Up to `count` bytes at `offset` (fewer only at the end of the file).
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { try read(at: offset, into: $0.baseAddress!, count: count) }
        bytes.removeSubrange(got...)
        return bytes
    }
}

@available(*, unavailable)
extension ReadOnlyFile: Sendable {}
