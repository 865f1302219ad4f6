import Foundation

/// An error reading or writing an `.xlsx` workbook, naming the file and the part inside it.
public struct XLSXError: Error, CustomStringConvertible, Sendable {
    /// The workbook's path.
    public var path: String
    /// The package part involved (e.g. `xl/worksheets/sheet1.xml`), when there is one.
    public var part: String?
    /// What is wrong.
    public var message: String

    public init(path: String, part: String? = nil, message: String) {
        self.path = path
        self.part = part
        self.message = message
    }

    public var description: String {
        if let part { return "\(path) [\(part)]: \(message)" }
        return "\(path): \(message)"
    }
}

/// Reads worksheets from Office Open XML workbooks (`.xlsx`), as written by Excel, LibreOffice, openpyxl
/// or pandas.
///
/// Cell values come out as stored: shared, inline and formula-result strings, numbers, booleans, error values
/// (as strings). Formulas are not evaluated (their cached result is read), and number formats are not
/// applied (a date is its serial number).
public enum XLSXReader {
    /// The sheet names, in workbook order.
    public static func sheetNames(at url: URL) throws -> [String] {
        let package = try XLSXPackage(url: url)
        return try package.sheetEntries().map(\.name)
    }

    /// Reads one sheet: `sheet` by name (exact match, else case-insensitive), or the first sheet when `nil`.
    ///
    /// - Complexity: O(*n*) in the size of the sheet part and the shared-string table.
    public static func read(at url: URL, sheet: String? = nil) throws -> XLSXSheet {
        let package = try XLSXPackage(url: url)
        let entries = try package.sheetEntries()
        let entry: XLSXSheetEntry
        if let sheet {
            guard let found = entries.first(where: { $0.name == sheet })
                ?? entries.first(where: { $0.name.lowercased() == sheet.lowercased() }) else {
                let names = entries.map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw XLSXError(path: url.path, part: package.workbookPath,
                                message: "no sheet named \"\(sheet)\" (sheets: \(names))")
            }
            entry = found
        } else {
            guard let first = entries.first else {
                throw XLSXError(path: url.path, part: package.workbookPath, message: "the workbook has no sheets")
            }
            entry = first
        }
        let sheetPath = try package.sheetPath(for: entry)
        let strings = try package.sharedStrings()
        let bytes = try package.part(sheetPath)
        do {
            return XLSXSheet(name: entry.name, rows: try XLSXParts.worksheet(bytes, sharedStrings: strings))
        } catch let error as XMLParseError {
            throw package.error(error, part: sheetPath)
        }
    }
}

/// An opened workbook package: the zip archive plus relationship resolution.
struct XLSXPackage {
    let url: URL
    let archive: ZipReader
    let workbookPath: String
    /// Largest part accepted, uncompressed (a guard against zip bombs).
    static let maxPartSize: UInt64 = 1 << 30

    init(url: URL) throws {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XLSXError(path: url.path, message: "no such file")
        }
        do {
            archive = try ZipReader(url: url)
        } catch let error as ZipError {
            throw XLSXError(path: url.path, message: "not a valid .xlsx file (cannot open it as a zip archive: \(error.message))")
        }
        var workbook = "xl/workbook.xml"
        if archive["_rels/.rels"] != nil {
            let rootRelationships = try Self.parse(archive: archive, url: url, part: "_rels/.rels", XLSXParts.relationships)
            if let office = rootRelationships.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.isExternal }) {
                workbook = Self.resolve(office.target, relativeTo: "")
            }
        }
        guard archive[workbook] != nil || Self.findEntry(archive, workbook) != nil else {
            throw XLSXError(path: url.path, part: workbook,
                            message: "not a valid .xlsx file: the workbook part is missing (is it an .xls or .ods file?)")
        }
        workbookPath = workbook
    }

    func sheetEntries() throws -> [XLSXSheetEntry] {
        try parse(part: workbookPath, XLSXParts.sheets)
    }

    /// The relationships of the workbook part (`xl/_rels/workbook.xml.rels`).
    func workbookRelationships() throws -> [XLSXRelationship] {
        let relsPath = Self.relationshipsPath(for: workbookPath)
        guard Self.findEntry(archive, relsPath) != nil else { return [] }
        return try parse(part: relsPath, XLSXParts.relationships)
    }

    func sheetPath(for entry: XLSXSheetEntry) throws -> String {
        let relationships = try workbookRelationships()
        guard let relationship = relationships.first(where: { $0.id == entry.relationshipID }), !relationship.isExternal else {
            throw XLSXError(path: url.path, part: Self.relationshipsPath(for: workbookPath),
                            message: "sheet \"\(entry.name)\" refers to relationship \(entry.relationshipID), which is missing")
        }
        return Self.resolve(relationship.target, relativeTo: Self.directory(of: workbookPath))
    }

    func sharedStrings() throws -> [String] {
        let relationships = try workbookRelationships()
        var path = Self.resolve("sharedStrings.xml", relativeTo: Self.directory(of: workbookPath))
        if let relationship = relationships.first(where: { $0.type.hasSuffix("/sharedStrings") && !$0.isExternal }) {
            path = Self.resolve(relationship.target, relativeTo: Self.directory(of: workbookPath))
        }
        guard Self.findEntry(archive, path) != nil else { return [] }
        return try parse(part: path, XLSXParts.sharedStrings)
    }

    /// The uncompressed bytes of a part.
    func part(_ path: String) throws -> [UInt8] {
        try PartReader(archive: archive, url: url).part(path)
    }

    func parse<T>(part path: String, _ parser: ([UInt8]) throws -> T) throws -> T {
        try Self.parse(archive: archive, url: url, part: path, parser)
    }

    func error(_ error: XMLParseError, part: String) -> XLSXError {
        Self.error(error, url: url, part: part)
    }

    static func error(_ error: XMLParseError, url: URL, part: String) -> XLSXError {
        let location = error.line > 0 ? "line \(error.line): " : ""
        return XLSXError(path: url.path, part: part, message: location + error.message)
    }

    static func parse<T>(archive: ZipReader, url: URL, part path: String, _ parser: ([UInt8]) throws -> T) throws -> T {
        let package = PartReader(archive: archive, url: url)
        let bytes = try package.part(path)
        do { return try parser(bytes) } catch let error as XMLParseError {
            throw Self.error(error, url: url, part: path)
        }
    }

    /// An entry by exact path, else by case-insensitive path (some writers differ in case).
    static func findEntry(_ archive: ZipReader, _ path: String) -> ZipEntry? {
        if let entry = archive[path] { return entry }
        let lowered = path.lowercased()
        return archive.entries.first { $0.path.lowercased() == lowered }
    }

    /// `xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`.
    static func relationshipsPath(for part: String) -> String {
        let directory = directory(of: part)
        let name = part.split(separator: "/").last.map(String.init) ?? part
        return (directory.isEmpty ? "" : directory + "/") + "_rels/" + name + ".rels"
    }

    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[..<slash])
    }

    /// Resolves a relationship target: absolute (`/xl/worksheets/sheet1.xml`) or relative to `base`.
    static func resolve(_ target: String, relativeTo base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : (base.isEmpty ? target : base + "/" + target)
        var components: [Substring] = []
        for component in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { _ = components.popLast(); continue }
            components.append(component)
        }
        return components.joined(separator: "/")
    }
}

/// Reads parts of an archive (shared by the package's initializer before `self` exists).
private struct PartReader {
    let archive: ZipReader
    let url: URL

    func part(_ path: String) throws -> [UInt8] {
        guard let entry = XLSXPackage.findEntry(archive, path) else {
            throw XLSXError(path: url.path, part: path, message: "the part is missing from the archive")
        }
        guard entry.uncompressedSize <= XLSXPackage.maxPartSize else {
            throw XLSXError(path: url.path, part: path,
                            message: "the part is \(entry.uncompressedSize) bytes uncompressed, more than the limit of \(XLSXPackage.maxPartSize)")
        }
        do {
            // ZipReader refuses output beyond the declared size (checked against the limit above) or the limit.
            return try archive.contents(of: entry, limit: XLSXPackage.maxPartSize)
        } catch let error as ZipError {
            throw XLSXError(path: url.path, part: path, message: "cannot decompress the part (corrupt archive?): \(error.message)")
        }
    }
}
