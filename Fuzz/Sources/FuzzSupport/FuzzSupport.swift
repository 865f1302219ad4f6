import Foundation

/// Helpers shared by the fuzz targets: a scratch folder per process and splitting one input into several files.
public enum FuzzInput {
    /// A scratch folder of this process, emptied by ``freshDirectory(_:)``.
    public static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "belay-fuzz-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The bytes libFuzzer hands a target.
    public static func data(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
        guard let bytes, count > 0 else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    /// An empty folder `name` inside ``scratch`` (whatever an earlier input left there is removed).
    public static func freshDirectory(_ name: String) -> URL {
        let url = scratch.appendingPathComponent(name, isDirectory: true)
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `data` to the file `name` in ``scratch``.
    public static func file(_ name: String, _ data: Data) -> URL {
        let url = scratch.appendingPathComponent(name)
        try? data.write(to: url)
        return url
    }

    /// `data` cut at NUL bytes into at most `count` pieces (the last piece keeps any further NULs); fewer pieces
    /// when the input has fewer NULs. Lets one fuzz input carry several files.
    public static func pieces(_ data: Data, count: Int) -> [Data] {
        var result: [Data] = []
        var rest = data[...]
        while result.count < count - 1, let nul = rest.firstIndex(of: 0) {
            result.append(Data(rest[..<nul]))
            rest = rest[(nul + 1)...]
        }
        result.append(Data(rest))
        return result
    }
}
