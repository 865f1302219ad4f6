import BelayBatch
import BelayTestSupport
import Foundation
import Testing

/// The student → shard assignment of `belay grade --shard K/N`.
@Suite("Shard")
struct ShardTests {
    /// Values computed independently in Python:
    /// `int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % n + 1`.
    @Test(arguments: [
        ("erin", 3, 1), ("dave", 3, 2), ("zoë", 3, 2), ("alice", 3, 3), ("carol", 3, 3),
        ("ivan", 4, 1), ("zoë", 4, 2), ("bob", 4, 3), ("heidi", 4, 4), ("anyone", 1, 1),
    ])
    func assignmentIsTheDocumentedHash(name: String, count: Int, expected: Int) {
        #expect(Shard.number(of: name, count: count) == expected)
    }

    @Test(.enabled(if: Python.isAvailable("hashlib", "json"), "needs python3 (CI requires it)"))
    func assignmentAgreesWithPythonsHashlib() throws {
        let names = (0..<200).map { "student-\($0)" } + ["Ærøskøbing", "李雷", "o'brien", "a b", ""]
        let counts = [1, 2, 3, 7, 1000]
        let expected = try Python.output(
            script: """
                import hashlib, json, sys
                names, counts = json.load(sys.stdin)
                for name in names:
                    h = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
                    print(" ".join(str(h % n + 1) for n in counts))
                """,
            stdin: try JSONSerialization.data(withJSONObject: [names, counts]))
        let mine = names.map { name in counts.map { String(Shard.number(of: name, count: $0)) }.joined(separator: " ") }
        #expect(expected.split(separator: "\n").map(String.init) == mine)
    }

    @Test func everyStudentIsInExactlyOneShard() throws {
        let names = (0..<500).map { "s\($0)" }
        let shards = try (1...7).map { try Shard(index: $0, count: 7) }
        for name in names {
            #expect(shards.count { $0.contains(name) } == 1)
        }
        // Uniform enough: each of 7 parts of 500 gets 71 ± a few standard deviations (sqrt(500·1/7·6/7) ≈ 7.8).
        for shard in shards {
            #expect((40...102).contains(names.count { shard.contains($0) }))
        }
    }

    @Test(arguments: [
        ("3/4", 3, 4), ("1/1", 1, 1), ("10/10", 10, 10),
    ])
    func parsesKOfN(text: String, k: Int, n: Int) throws {
        let shard = try Shard(parsing: text)
        #expect(shard.index == k && shard.count == n && shard.description == text)
    }

    @Test(arguments: [
        ("0/2", "K must be between 1 and N (2)"), ("3/2", "K must be between 1 and N (2)"),
        ("x/y", "expected K/N"), ("1/0", "N must be at least 1"), ("2", "expected K/N"), ("1/2/3", "expected K/N"),
        ("", "expected K/N"),
    ])
    func rejectsWhatIsNotKOfN(text: String, reason: String) {
        #expect {
            try Shard(parsing: text)
        } throws: { error in
            "\(error)".hasPrefix("invalid shard '\(text)': \(reason)")
        }
    }
}
