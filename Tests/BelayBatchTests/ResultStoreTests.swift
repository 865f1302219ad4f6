import BelayRoute
import BelayTestSupport
import Foundation
import Testing

/// The result store keeps what a run computed for later runs; what it gives back must be exactly what was stored,
/// and anything else (another build's entry, a damaged file, a foreign key) must read as absent.
@Suite("Result store")
struct ResultStoreTests {
    @Test func aValueComesBackForItsKeyOnly() throws {
        let folder = try TemporaryDirectory(prefix: "belay-store")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url, build: "build A")
        let key = store.key(namespace: "route-test", [Data("split 1".utf8)])
        let other = store.key(namespace: "route-test", [Data("split 2".utf8)])
        #expect(store.value(namespace: "route-test", key: key) == nil)
        store.store(Data("accuracy 0.81".utf8), namespace: "route-test", key: key)
        #expect(store.value(namespace: "route-test", key: key) == Data("accuracy 0.81".utf8))
        #expect(store.value(namespace: "route-test", key: other) == nil)
        #expect(store.value(namespace: "another-route", key: key) == nil)
        // A second store on the same folder (the next run) reads it; the same inputs give the same key.
        let next = ResultStore(directory: folder.url, build: "build A")
        #expect(next.key(namespace: "route-test", [Data("split 1".utf8)]) == key)
        #expect(next.value(namespace: "route-test", key: key) == Data("accuracy 0.81".utf8))
    }

    @Test func anotherBuildHasOtherKeys() {
        let a = ResultStore(directory: URL(fileURLWithPath: "/nonexistent"), build: "belay 0.1.0 100 1.0")
        let b = ResultStore(directory: URL(fileURLWithPath: "/nonexistent"), build: "belay 0.1.0 100 2.0")
        #expect(a.key(namespace: "n", [Data([1])]) != b.key(namespace: "n", [Data([1])]))
    }

    /// Parts are framed by their lengths: moving a byte from one part to the next is another key.
    @Test func partsAreFramed() {
        let store = ResultStore(directory: URL(fileURLWithPath: "/nonexistent"), build: "b")
        #expect(store.key(namespace: "n", [Data("ab".utf8), Data("c".utf8)]) != store.key(namespace: "n", [Data("a".utf8), Data("bc".utf8)]))
        #expect(store.key(namespace: "n", [Data("abc".utf8)]) != store.key(namespace: "n", [Data("abc".utf8), Data()]))
    }

    /// Lists of strings (students' ids) keep their boundaries: ids with a newline cannot imitate another list.
    @Test func stringListsAreFramed() {
        #expect(ResultStore.bytes(["a\nb", "c"]) != ResultStore.bytes(["a", "b\nc"]))
        #expect(ResultStore.bytes(["ab"]) != ResultStore.bytes(["a", "b"]))
        #expect(ResultStore.bytes([String]()) != ResultStore.bytes([""]))
        #expect(ResultStore.bytes(["P9WNK7"]) == ResultStore.bytes(["P9WNK7"]))
    }

    @Test func aDamagedOrForeignEntryReadsAsAbsent() throws {
        let folder = try TemporaryDirectory(prefix: "belay-store")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url, build: "b")
        let key = store.key(namespace: "ns", [Data("x".utf8)])
        store.store(Data("the value".utf8), namespace: "ns", key: key)
        let file = folder.url.appendingPathComponent("ns/\(key.prefix(2))/\(key.dropFirst(2))")
        let good = try Data(contentsOf: file)
        // A flipped byte in the value, a truncated file, and another key's entry copied over this one.
        var flipped = good
        flipped[flipped.count - 1] ^= 0x01
        let otherKey = store.key(namespace: "ns", [Data("y".utf8)])
        store.store(Data("the value".utf8), namespace: "ns", key: otherKey)
        let foreign = try Data(contentsOf: folder.url.appendingPathComponent("ns/\(otherKey.prefix(2))/\(otherKey.dropFirst(2))"))
        for damaged in [flipped, good.prefix(good.count - 3), foreign, Data()] {
            try damaged.write(to: file)
            #expect(store.value(namespace: "ns", key: key) == nil)
        }
        // Rewritten, it is read again; no temporary file is left behind.
        store.store(Data("the value".utf8), namespace: "ns", key: key)
        #expect(store.value(namespace: "ns", key: key) == Data("the value".utf8))
        let names = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(names == [String(key.dropFirst(2))])
    }

    @Test func keysAndNamespacesThatAreNotPlainNamesAreRefused() throws {
        let folder = try TemporaryDirectory(prefix: "belay-store")
        defer { folder.cleanup() }
        let store = ResultStore(directory: folder.url, build: "b")
        let key = store.key(namespace: "ns", [])
        for (namespace, name) in [("../up", key), ("ns", "../" + key.dropFirst(3)), ("ns", "short"), ("NS", key), ("", key)] {
            store.store(Data([1]), namespace: namespace, key: name)
            #expect(store.value(namespace: namespace, key: name) == nil)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Where the store lies: BELAY_CACHE_DIR, then XDG_CACHE_HOME/belay, then ~/.cache/belay; off when asked.
    @Test func theDefaultFolderFollowsTheEnvironment() {
        #expect(ResultStore.defaultDirectory(environment: ["BELAY_CACHE_DIR": "/srv/cache", "HOME": "/home/i"])?.path == "/srv/cache")
        #expect(ResultStore.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/home/i"])?.path == "/x/belay")
        #expect(ResultStore.defaultDirectory(environment: ["HOME": "/home/i"])?.path == "/home/i/.cache/belay")
        #expect(ResultStore.defaultDirectory(environment: ["BELAY_CACHE_DIR": "off", "HOME": "/home/i"]) == nil)
        #expect(ResultStore.defaultDirectory(environment: ["BELAY_CACHE_DIR": "", "HOME": "/home/i"]) == nil)
        #expect(ResultStore.defaultDirectory(environment: [:]) == nil)
        #expect(ResultStore.standard(belayVersion: "t", environment: ["BELAY_CACHE_DIR": "off"]) == nil)
    }

    /// An unwritable folder is no error: the store is simply not used.
    @Test func anUnwritableFolderIsNotUsed() throws {
        let folder = try TemporaryDirectory(prefix: "belay-store")
        defer { folder.cleanup() }
        let blocker = folder.file("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let store = ResultStore(directory: blocker, build: "b")
        let key = store.key(namespace: "ns", [])
        store.store(Data([1]), namespace: "ns", key: key)
        #expect(store.value(namespace: "ns", key: key) == nil)
    }
}
