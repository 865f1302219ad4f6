import Synchronization

/// Values computed at most once per key while held: the first thread to ask computes, and a thread asking for the
/// same key meanwhile waits for that value instead of computing it beside it. For results that are the same numbers
/// every time (a route's reruns, audits, clusterings of a student's split), which a grading may also start early on
/// another thread.
///
/// Bounded: when `capacity` keys are held, the cache starts over (a batch moves on from one student to the next).
public final class OnceCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// One key's value, computed under its lock by the first thread that asks.
    final class Slot: Sendable {
        let value = Mutex<Value?>(nil)
    }

    private let slots = Mutex<[Key: Slot]>([:])
    /// Most keys held.
    public let capacity: Int

    /// An empty cache holding at most `capacity` (at least 1) keys.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value for `key`: held, being computed by another thread (then waited for), or computed now by `compute`.
    public func value(_ key: Key, _ compute: () -> Value) -> Value {
        let slot = slots.withLock { slots in
            if let slot = slots[key] { return slot }
            if slots.count >= capacity { slots.removeAll() }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
        return slot.value.withLock { value in
            if let value { return value }
            let computed = compute()
            value = computed
            return computed
        }
    }

    /// Number of keys held (computed, or being computed).
    public var count: Int { slots.withLock { $0.count } }

    /// Forgets every value (a value being computed is still returned to whoever asked for it).
    public func removeAll() { slots.withLock { $0.removeAll() } }
}
