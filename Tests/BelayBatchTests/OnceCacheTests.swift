import BelayRoute
import Synchronization
import Testing

@Suite("Values computed once per key", .timeLimit(.minutes(45)))
struct OnceCacheTests {
    final class Calls: Sendable {
        let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func threadsAskingForOneKeyAtOnce_computeItOnce() async {
        let cache = OnceCache<String, Int>(capacity: 8)
        let calls = Calls()
        let values = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    cache.value("split") {
                        calls.increment()
                        return 42
                    }
                }
            }
            var all: [Int] = []
            for await v in group { all.append(v) }
            return all
        }
        #expect(values == [Int](repeating: 42, count: 16))
        #expect(calls.value == 1)
        #expect(cache.value("split") { -1 } == 42)
        #expect(cache.value("other") { 7 } == 7)
        #expect(cache.count == 2)
    }

    @Test func aFullCacheStartsOver() {
        let cache = OnceCache<Int, Int>(capacity: 3)
        for k in 0..<3 { _ = cache.value(k) { k } }
        #expect(cache.count == 3)
        _ = cache.value(3) { 3 }
        #expect(cache.count == 1)
        #expect(cache.value(0) { 100 } == 100, "forgotten, so computed again")
        cache.removeAll()
        #expect(cache.count == 0)
        #expect(OnceCache<Int, Int>(capacity: 0).capacity == 1)
    }
}
