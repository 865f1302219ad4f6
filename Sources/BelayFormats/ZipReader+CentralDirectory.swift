import Foundation

/// Finding and parsing a zip archive's central directory (APPNOTE 6.3.10, sections 4.3.12 to 4.3.16 and 4.5.3).
enum CentralDirectory {
    static let eocdSignature: UInt32 = 0x0605_4b50
    static let eocd64LocatorSignature: UInt32 = 0x0706_4b50
    static let eocd64Signature: UInt32 = 0x0606_4b50
    static let entrySignature: UInt32 = 0x0201_4b50
    static let eocdSize = 22
    static let entryHeaderSize = 46

    /// Where the directory is and how many entries it declares.
    struct Location {
        var entryCount: UInt64
        var offset: UInt64
        var size: UInt64
    }

    /// All entries, every count, offset and length checked against the file's size first.
    static func read(_ file: ReadOnlyFile, path: String, maxEntries: Int) throws -> [ZipEntry] {
        let location = try locate(file, path: path)
        let count = location.entryCount
        if count > UInt64(max(maxEntries, 0)) {
            throw ZipError(path: path, reason: .tooManyEntries(declared: count, limit: maxEntries),
                           message: "has \(count) entries, more than the limit of \(maxEntries)")
        }
        guard count <= location.size / UInt64(entryHeaderSize) else {
            throw notAZip(path, "its central directory declares \(count) entries, more than fit in its \(location.size) bytes")
        }
        let bytes = try file.read(at: location.offset, count: Int(location.size))
        guard bytes.count == Int(location.size) else {
            throw notAZip(path, "its central directory is truncated")
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(count))
        var at = 0
        for k in 0..<Int(count) {
            guard bytes.count - at >= entryHeaderSize, le32(bytes, at) == entrySignature else {
                throw notAZip(path, "central directory entry \(k + 1) of \(count) is missing or has a bad signature")
            }
            let nameLength = Int(le16(bytes, at + 28))
            let extraLength = Int(le16(bytes, at + 30))
            let commentLength = Int(le16(bytes, at + 32))
            let end = at + entryHeaderSize + nameLength + extraLength + commentLength
            guard end <= bytes.count else {
                throw notAZip(path, "central directory entry \(k + 1) of \(count) runs past the directory's end")
            }
            let flags = le16(bytes, at + 8)
            let nameStart = at + entryHeaderSize
            let rawName = Array(bytes[nameStart..<nameStart + nameLength])
            let name = decodeName(rawName, utf8Flag: flags & 0x0800 != 0)
            var compressed = UInt64(le32(bytes, at + 20))
            var uncompressed = UInt64(le32(bytes, at + 24))
            var offset = UInt64(le32(bytes, at + 42))
            let extra = Array(bytes[nameStart + nameLength..<nameStart + nameLength + extraLength])
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                guard let zip64 = zip64Field(extra) else {
                    throw notAZip(path, "entry \"\(name)\" has 32-bit fields set to 0xFFFFFFFF but no zip64 extra field")
                }
                // The spec's order: uncompressed size, compressed size, local header offset; each present only
                // when its 32-bit field is 0xFFFFFFFF.
                var cursor = 0
                func next() throws -> UInt64 {
                    guard zip64.count - cursor >= 8 else {
                        throw notAZip(path, "entry \"\(name)\" has a zip64 extra field too short for its 0xFFFFFFFF fields")
                    }
                    defer { cursor += 8 }
                    return le64(zip64, cursor)
                }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                if compressed == 0xFFFF_FFFF { compressed = try next() }
                if offset == 0xFFFF_FFFF { offset = try next() }
            }
            let versionMadeBy = le16(bytes, at + 4)
            let attributes = le32(bytes, at + 38)
            entries.append(ZipEntry(
                path: name, rawPath: rawName,
                kind: ZipEntry.kind(path: name, versionMadeBy: versionMadeBy, externalAttributes: attributes),
                method: le16(bytes, at + 10), flags: flags, crc32: le32(bytes, at + 16),
                compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: offset,
                versionMadeBy: versionMadeBy, externalAttributes: attributes))
            at = end
        }
        return entries
    }

    /// Finds the end-of-central-directory record (searching back over at most the last 22 + 65535 bytes, the
    /// longest comment), then the zip64 record when a locator precedes it.
    static func locate(_ file: ReadOnlyFile, path: String) throws -> Location {
        let size = file.size
        guard size >= UInt64(eocdSize) else { throw notAZip(path, "the file is too short (\(size) bytes)") }
        let tailLength = Int(min(size, UInt64(eocdSize + 0xFFFF)))
        let tailStart = size - UInt64(tailLength)
        let tail = try file.read(at: tailStart, count: tailLength)
        guard tail.count == tailLength else { throw notAZip(path, "the file is truncated") }
        var found: Int?
        var candidate = tailLength - eocdSize
        while candidate >= 0 {
            if le32(tail, candidate) == eocdSignature {
                let commentLength = Int(le16(tail, candidate + 20))
                if candidate + eocdSize + commentLength <= tailLength { found = candidate; break }
            }
            candidate -= 1
        }
        guard let at = found else {
            throw notAZip(path, "no end of central directory record (not a zip archive, or truncated)")
        }
        let eocdOffset = tailStart + UInt64(at)
        var location = Location(entryCount: UInt64(le16(tail, at + 10)), offset: UInt64(le32(tail, at + 16)),
                                size: UInt64(le32(tail, at + 12)))
        var directoryEnd = eocdOffset
        if eocdOffset >= 20 {
            let locator = try file.read(at: eocdOffset - 20, count: 20)
            if locator.count == 20, le32(locator, 0) == eocd64LocatorSignature {
                let recordOffset = le64(locator, 8)
                guard recordOffset <= eocdOffset - 20, eocdOffset - 20 - recordOffset >= 56 else {
                    throw notAZip(path, "its zip64 end of central directory locator points outside the file")
                }
                let record = try file.read(at: recordOffset, count: 56)
                guard record.count == 56, le32(record, 0) == eocd64Signature else {
                    throw notAZip(path, "no zip64 end of central directory record where its locator points")
                }
                location = Location(entryCount: le64(record, 32), offset: le64(record, 48), size: le64(record, 40))
                directoryEnd = recordOffset
            }
        }
        guard location.offset <= directoryEnd, location.size <= directoryEnd - location.offset else {
            throw notAZip(path, "its central directory (offset \(location.offset), \(location.size) bytes) lies outside the file")
        }
        return location
    }

    /// The data of the zip64 extended-information extra field (header 0x0001), if there is one.
    static func zip64Field(_ extra: [UInt8]) -> [UInt8]? {
        var at = 0
        while extra.count - at >= 4 {
            let id = le16(extra, at)
            let length = Int(le16(extra, at + 2))
            let start = at + 4
            guard extra.count - start >= length else { return nil }
            if id == 0x0001 { return Array(extra[start..<start + length]) }
            at = start + length
        }
        return nil
    }

    /// UTF-8 when the name says so (flag bit 11) or is valid UTF-8, otherwise CP437 (the original IBM PC set,
    /// which zip's specification makes the default).
    static func decodeName(_ bytes: [UInt8], utf8Flag: Bool) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        if utf8Flag { return String(decoding: bytes, as: UTF8.self) }  // invalid despite the flag: replacement characters
        var name = String.UnicodeScalarView()
        for byte in bytes {
            name.append(byte < 0x80 ? Unicode.Scalar(byte) : Unicode.Scalar(cp437High[Int(byte) - 0x80])!)
        }
        return String(name)
    }

    /// CP437 code points for bytes 0x80 to 0xFF (the low half is ASCII, as Python's codec reads it).
    static let cp437High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
        0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
    ]

    static func notAZip(_ path: String, _ message: String) -> ZipError {
        ZipError(path: path, reason: .notAZip, message: message)
    }
}
