import Foundation

/// What an ELF64 little-endian file (a Linux executable or shared library) asks of the dynamic loader: the
/// libraries it names (`DT_NEEDED`) and the symbol versions it needs from each (`.gnu.version_r`, e.g.
/// `GLIBC_2.34` from `libc.so.6`). Read from the section headers, without running the file (`ldd` runs it).
struct ELFDependencies: Sendable, Equatable {
    /// Libraries named by `DT_NEEDED`, in file order.
    var neededLibraries: [String]
    /// Version names needed from each library file (`GLIBC_2.34`, `GLIBCXX_3.4.30`, …), by library.
    var neededVersions: [String: [String]]

    /// Whether the Swift runtime and Foundation are linked in (`--static-swift-stdlib`): no `libswift*.so` or
    /// `libFoundation*.so` (nor `libdispatch.so`, `libBlocksRuntime.so`) is needed at run time.
    var linksSwiftStatically: Bool {
        !neededLibraries.contains { name in
            ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime"].contains { name.hasPrefix($0) }
        }
    }

    /// The highest version needed whose name is `prefix` followed by dotted numbers, as numbers: `[2, 34]` for
    /// `GLIBC_2.34` with prefix `GLIBC_`, `[3, 4, 30]` for `GLIBCXX_3.4.30` with `GLIBCXX_` (empty when none is).
    func highestVersion(_ prefix: String) -> [Int] {
        neededVersions.values.joined().compactMap { Self.version($0, prefix: prefix) }
            .max { $0.lexicographicallyPrecedes($1) } ?? []
    }

    /// `GLIBC_2.34` as `[2, 34]` for prefix `GLIBC_`; nil for anything else (`GLIBC_PRIVATE`, `GLIBCXX_3.4`).
    static func version(_ name: String, prefix: String) -> [Int]? {
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }

    struct FormatError: Error, CustomStringConvertible {
        var path: String
        var problem: String
        var description: String { "\(path) is not a readable Linux x86-64/arm64 executable (\(problem))" }
    }

    /// Reads the dependencies of the ELF file at `url`.
    /// - Complexity: O(file size) to read it; O(sections + dynamic entries) to parse.
    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        try self.init(elf: [UInt8](data), path: url.path)
    }

    init(elf bytes: [UInt8], path: String) throws {
        func fail(_ problem: String) -> FormatError { FormatError(path: path, problem: problem) }
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw fail("no ELF header")
        }
        guard bytes[4] == 2, bytes[5] == 1 else { throw fail("not 64-bit little-endian") }
        func int(_ offset: Int, _ size: Int) throws -> Int {
            guard offset >= 0, size <= 8, offset <= bytes.count - size else { throw fail("truncated at byte \(offset)") }
            var value: UInt64 = 0
            for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
            guard value <= UInt64(Int.max) else { throw fail("offset out of range at byte \(offset)") }
            return Int(value)
        }
        struct Section { var type: Int; var offset: Int; var size: Int; var link: Int; var info: Int }
        let sectionTable = try int(0x28, 8), entrySize = try int(0x3A, 2), count = try int(0x3C, 2)
        guard count > 0, entrySize >= 64 else { throw fail("no section headers") }
        let sections = try (0..<count).map { i -> Section in
            let base = sectionTable + i * entrySize
            return Section(
                type: try int(base + 4, 4), offset: try int(base + 0x18, 8), size: try int(base + 0x20, 8),
                link: try int(base + 0x28, 4), info: try int(base + 0x2C, 4))
        }
        func string(table: Int, at index: Int) throws -> String {
            guard table < sections.count else { throw fail("string table \(table) missing") }
            let start = sections[table].offset + index
            guard start >= 0, index < sections[table].size, start < bytes.count else { throw fail("string out of range") }
            let end = bytes[start...].firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        var needed: [String] = []
        var versions: [String: [String]] = [:]
        for section in sections {
            switch section.type {
            case 6:  // SHT_DYNAMIC: (d_tag, d_val) pairs until DT_NULL
                var offset = section.offset
                while offset + 16 <= section.offset + section.size {
                    let tag = try int(offset, 8)
                    if tag == 0 { break }
                    if tag == 1 { needed.append(try string(table: section.link, at: try int(offset + 8, 8))) }
                    offset += 16
                }
            case 0x6FFF_FFFE:  // SHT_GNU_verneed: Elf64_Verneed entries, each with a chain of Elf64_Vernaux
                var offset = section.offset
                for _ in 0..<section.info {
                    let file = try string(table: section.link, at: try int(offset + 4, 4))
                    var aux = offset + (try int(offset + 8, 4))
                    for _ in 0..<(try int(offset + 2, 2)) {
                        versions[file, default: []].append(try string(table: section.link, at: try int(aux + 8, 4)))
                        let next = try int(aux + 12, 4)
                        if next == 0 { break }
                        aux += next
                    }
                    let next = try int(offset + 12, 4)
                    if next == 0 { break }
                    offset += next
                }
            default:
                continue
            }
        }
        neededLibraries = needed
        neededVersions = versions
    }
}
