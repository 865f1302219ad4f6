internal import CHDF5
import Foundation

/// An error reading or writing an embedding file, naming the file and (when one is involved) the id.
public struct EmbeddingFileError: Error, CustomStringConvertible, Sendable {
    /// The file as given by the caller (the `.h5.gz` path, not a temporary copy).
    public var path: String
    /// The protein id (dataset path) involved, if any.
    public var id: String?
    /// What is wrong, with HDF5's own explanation where it gave one.
    public var message: String

    public init(path: String, id: String? = nil, message: String) {
        self.path = path
        self.id = id
        self.message = message
    }

    public var description: String {
        if let id { return "\(path): dataset \"\(id)\": \(message)" }
        return "\(path): \(message)"
    }
}

/// Serializes every call into libhdf5 (thread-safe builds lock internally too; other builds are not safe).
enum HDF5 {
    private static let lock = NSRecursiveLock()

    /// Runs `body` holding the HDF5 lock, with HDF5's automatic error printing turned off.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        // HDF5 prints its error stack to stderr by default. Debian's build is thread-safe, which makes that
        // setting per thread, so it is turned off on whichever thread is calling (cheap); errors are walked instead.
        _ = chdf5_disable_auto_print()
        return try body()
    }

    /// Takes HDF5's current error stack (clearing it) and summarizes it, most specific message first.
    static func drainErrors() -> String? {
        final class Collected { var messages: [String] = [] }
        let collected = Collected()
        withExtendedLifetime(collected) {
            chdf5_drain_error_stack({ _, description, context in
                guard let context, let description else { return }
                let box = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
                box.messages.append(String(cString: description))
            }, Unmanaged.passUnretained(collected).toOpaque())
        }
        var unique: [String] = []
        for message in collected.messages where !message.isEmpty && !unique.contains(message) {
            unique.append(message)
        }
        guard !unique.isEmpty else { return nil }
        return unique.prefix(4).joined(separator: "; ")
    }

    /// An error for a failed HDF5 call: `what` plus HDF5's explanation.
    static func error(path: String, id: String? = nil, _ what: String) -> EmbeddingFileError {
        if let detail = drainErrors() {
            return EmbeddingFileError(path: path, id: id, message: "\(what) (HDF5: \(detail))")
        }
        return EmbeddingFileError(path: path, id: id, message: what)
    }
}
