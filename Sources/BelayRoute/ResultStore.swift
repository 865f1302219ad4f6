public import Foundation
import BelayChecksum

/// A folder of computed results that outlive one run: a regrade, or a student's second `belay check`, reads what an
/// earlier run computed instead of computing it again.
///
/// An entry is found by the SHA-256 of everything it was computed from: a route's namespace, the inputs the route
/// names (a student's split, the data's and the rubric's hashes), and the identity of this build of Belay (its
/// version and its executable's size and modification time), so a rebuilt Belay never reads an older build's
/// results. Only results that are the same numbers every time they are computed belong here; then a stored entry
/// changes no grade, only how long it takes.
///
/// Entries are small files, `<folder>/<namespace>/<2 hex>/<62 hex>`, written to a temporary name and renamed, so a
/// reader never sees half an entry. Each holds its own key, and an entry whose key, framing or checksum does not
/// match is ignored (and recomputed), never trusted. Student code never sees the folder: by default it lies in the
/// grader's home, which the sandbox hides, and notebooks see only what their sandbox lists.
public final class ResultStore: Sendable {
    /// The folder.
    public let directory: URL
    /// The build identity mixed into every key.
    public let build: String

    /// A store in `directory` (created when first written) for results of this `build`.
    public init(directory: URL, build: String) {
        self.directory = directory.standardizedFileURL
        self.build = build
    }

    /// The store grading uses by default: `$BELAY_CACHE_DIR`, else `$XDG_CACHE_HOME/belay`, else `~/.cache/belay`;
    /// none when `BELAY_CACHE_DIR` is empty or `off`, or no home is known.
    public static func standard(belayVersion: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ResultStore?
    {
        guard let directory = defaultDirectory(environment: environment) else { return nil }
        return ResultStore(directory: directory, build: buildIdentity(belayVersion: belayVersion))
    }

    /// Where ``standard(belayVersion:environment:)`` keeps its entries, or nil when it keeps none.
    public static func defaultDirectory(environment: [String: String]) -> URL? {
        if let folder = environment["BELAY_CACHE_DIR"] {
            if folder.isEmpty || folder == "off" { return nil }
            return URL(fileURLWithPath: folder, isDirectory: true)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("belay", isDirectory: true)
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/belay", isDirectory: true)
    }

    /// `belayVersion` plus the running executable's size and modification time (to the clock's precision): a rebuilt
    /// Belay with changed code gets other keys, so it never reads results computed by other code.
    public static func buildIdentity(belayVersion: String) -> String {
        var identity = "belay \(belayVersion)"
        if let path = Bundle.main.executableURL?.resolvingSymlinksInPath().path,
           let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date {
            identity += " \(size.int64Value) \(modified.timeIntervalSince1970.bitPattern)"
        }
        return identity
    }

    /// The key of an entry: SHA-256 over the namespace, the build and `parts` (each length-prefixed, so no two
    /// different lists of parts frame the same bytes).
    public func key(namespace: String, _ parts: [Data]) -> String {
        var hash = SHA256()
        for part in [Data(namespace.utf8), Data(build.utf8)] + parts {
            var length = UInt64(part.count).littleEndian
            hash.update(withUnsafeBytes(of: &length) { Data($0) })
            hash.update(part)
        }
        return hash.finalizeHex()
    }

    /// Little-endian bytes of whole numbers, for a key's parts (a double goes in as its `bitPattern`: exact).
    /// - Complexity: O(n), one copy of the values' memory on a little-endian machine.
    public static func bytes<T: FixedWidthInteger>(_ values: [T]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return values.map(\.littleEndian).withUnsafeBytes { Data($0) }
        #endif
    }

    /// The whole numbers ``bytes(_:)-(_)`` wrote, or nil when `data` is not a whole number of them.
    public static func integers<T: FixedWidthInteger>(_ data: Data, as type: T.Type = T.self) -> [T]? {
        let size = MemoryLayout<T>.size
        guard data.count % size == 0 else { return nil }
        var values = [T](repeating: 0, count: data.count / size)
        values.withUnsafeMutableBytes { target in _ = data.copyBytes(to: target) }
        #if _endian(big)
        values = values.map { T(littleEndian: $0) }
        #endif
        return values
    }

    /// Strings for a key's part, each prefixed by its UTF-8 length, so that no two different lists give the same
    /// bytes (joined with a separator, `["a\nb", "c"]` and `["a", "b\nc"]` would: ids come from students' files).
    public static func bytes(_ strings: [String]) -> Data {
        var data = Data()
        for string in strings {
            let utf8 = Data(string.utf8)
            data.append(bytes([UInt64(utf8.count)]))
            data.append(utf8)
        }
        return data
    }

    /// One byte per flag (1 for true), for a key's parts.
    public static func bytes(_ flags: [Bool]) -> Data { Data(flags.map { $0 ? 1 : 0 }) }

    /// The stored value of `key` in `namespace`, or nil (absent, unreadable, or not intact).
    public func value(namespace: String, key: String) -> Data? {
        guard let url = url(namespace: namespace, key: key),
              let bytes = try? Data(contentsOf: url, options: .uncached)
        else { return nil }
        return Self.unframe(bytes, key: key)
    }

    /// The value an earlier run kept in `namespace` for the inputs `parts` (see ``key(namespace:_:)``), else
    /// `compute()`, kept for the next run. A kept value `decode` refuses (another build's layout, a damaged file) is
    /// computed again. Only for values that are the same numbers every time they are computed.
    public func value<T>(namespace: String, parts: [Data], encode: (T) -> Data, decode: (Data) -> T?,
                         compute: () -> T) -> T {
        let key = key(namespace: namespace, parts)
        if let data = value(namespace: namespace, key: key), let kept = decode(data) { return kept }
        let computed = compute()
        store(encode(computed), namespace: namespace, key: key)
        return computed
    }

    /// ``value(namespace:parts:encode:decode:compute:)`` of `store`, or just `compute()` when grading keeps no
    /// results (`parts` is then not even made).
    public static func value<T>(in store: ResultStore?, namespace: String, parts: @autoclosure () -> [Data],
                                encode: (T) -> Data, decode: (Data) -> T?, compute: () -> T) -> T {
        guard let store else { return compute() }
        return store.value(namespace: namespace, parts: parts(), encode: encode, decode: decode, compute: compute)
    }

    /// Stores `value` under `key` in `namespace`. A store that cannot be written is simply not used (the result was
    /// computed anyway); nothing is thrown.
    public func store(_ value: Data, namespace: String, key: String) {
        guard let url = url(namespace: namespace, key: key) else { return }
        let folder = url.deletingLastPathComponent()
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max))")
            try Self.frame(value, key: key).write(to: temporary)
            if rename(temporary.path, url.path) != 0 { try? manager.removeItem(at: temporary) }
        } catch {
            return
        }
    }

    /// `<folder>/<namespace>/<first 2 hex>/<rest>`; nil for a namespace or key that is not a plain name.
    func url(namespace: String, key: String) -> URL? {
        let isName = { (text: String) in
            !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }
        }
        guard isName(namespace), isName(key), key.utf8.count == 64 else { return nil }
        return directory.appendingPathComponent(namespace, isDirectory: true)
            .appendingPathComponent(String(key.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(key.dropFirst(2)))
    }

    /// Magic and version of the entry framing.
    static let magic = Data("belay-result 1\n".utf8)

    /// `magic`, the key, a newline, the value's SHA-256, a newline, the value.
    static func frame(_ value: Data, key: String) -> Data {
        magic + Data((key + "\n" + SHA256.hex(value) + "\n").utf8) + value
    }

    /// The value of a framed entry, when its magic, key and checksum all match.
    static func unframe(_ bytes: Data, key: String) -> Data? {
        let header = magic.count + 64 + 1 + 64 + 1
        guard bytes.count >= header, bytes.prefix(magic.count) == magic else { return nil }
        let body = bytes.dropFirst(magic.count)
        guard String(decoding: body.prefix(64), as: UTF8.self) == key, body[body.startIndex + 64] == 0x0a else { return nil }
        let sum = String(decoding: body.dropFirst(65).prefix(64), as: UTF8.self)
        let value = Data(bytes.dropFirst(header))
        guard body[body.startIndex + 129] == 0x0a, SHA256.hex(value) == sum else { return nil }
        return value
    }
}
