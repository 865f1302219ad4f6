import BelayChecksum
import Foundation

/// One part of a class, so that a class can be graded on several machines (`belay grade --shard K/N`).
///
/// A student belongs to shard `K` of `N` when
///
///     K = (first 8 bytes of SHA-256(UTF-8 name), read as a big-endian UInt64) mod N + 1
///
/// The assignment depends only on the student's name and `N`: every machine computes the same parts without
/// talking to the others, whatever order it lists the class in, and a student keeps their shard when others join
/// or leave the class. Parts are about equal for classes of more than a few dozen students (the hash is uniform),
/// not exactly equal.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// Which part, from 1 to ``count``.
    public let index: Int
    /// How many parts the class is split into.
    public let count: Int

    /// A shard; `index` must be in `1...count`.
    /// - Throws: ``ShardError`` naming the bad values.
    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw ShardError(text: "\(index)/\(count)", reason: "N must be at least 1") }
        guard (1...count).contains(index) else {
            throw ShardError(text: "\(index)/\(count)", reason: "K must be between 1 and N (\(count))")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (1-based, e.g. `3/4`).
    /// - Throws: ``ShardError`` saying what is wrong with `text`.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError(text: text, reason: "expected K/N with whole numbers, like 3/4")
        }
        try self.init(index: k, count: n)
    }

    /// The 1-based shard of `count` that `student` belongs to.
    /// - Complexity: O(length of the name).
    public static func number(of student: String, count: Int) -> Int {
        precondition(count >= 1, "a class is split into at least one shard")
        let hex = SHA256.hex(student)
        let prefix = UInt64(hex.prefix(16), radix: 16)!  // the first 8 bytes, big-endian
        return Int(prefix % UInt64(count)) + 1
    }

    /// Whether `student` is graded in this shard.
    public func contains(_ student: String) -> Bool {
        Self.number(of: student, count: count) == index
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` value that is not `K/N` with `1 ≤ K ≤ N`.
public struct ShardError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The value given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    /// `invalid shard '0/2': K must be between 1 and N (2)`.
    public var description: String { "invalid shard '\(text)': \(reason)" }
}
