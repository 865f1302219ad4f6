import Foundation
import Testing
import ZIPFoundation

/// Paths used by the format tests.
enum Paths {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The embedded H37Rv data folder.
    static let dataFolder = repositoryRoot.appendingPathComponent("Sources/BelayData/Resources/mtb-h37rv")

    /// A fixture file from the test bundle's `Fixtures` folder.
    static func fixture(_ relativePath: String) throws -> URL {
        let base = try #require(Bundle.module.resourceURL)
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
        #expect(FileManager.default.fileExists(atPath: url.path), "missing fixture \(relativePath)")
        return url
    }
}

/// Builds a zip archive from (path, contents) pairs, stored deflated, in order.
func makeZip(at url: URL, entries: [(path: String, contents: String)], symlinks: [(path: String, target: String)] = []) throws {
    let archive = try Archive(url: url, accessMode: .create)
    for (path, contents) in entries {
        let data = Data(contents.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
        }
    }
    for (path, target) in symlinks {
        let data = Data(target.utf8)
        try archive.addEntry(with: path, type: .symlink, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
        }
    }
}
