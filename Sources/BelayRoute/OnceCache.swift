import Synchronization

/// Values computed at most once per key while held: the first thread to ask computes, and a thread asking for the
/// same key meanwhile waits for that value instead of computing it beside it. For results that are the same numbers
/// every time (a route's reruns, audits, clusterings of a student's split), which a grading may also start early on
/// another thread.
///
/// Bounded: when `capacity` keys are held, the cache starts over (a batch moves on from one student to the next).
public final class OnceCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let slots = Mutex<[Key: OnceValue<Value>]>([:])
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
            let slot = OnceValue<Value>()
            slots[key] = slot
            return slot
        }
        return slot.value(compute)
    }

    /// Number of keys held (computed, or being computed).
    public var count: Int { slots.withLock { $0.count } }

    /// Forgets every value (a value being computed is still returned to whoever asked for it).
    public func removeAll() { slots.withLock { $0.removeAll() } }
}

/// One value computed at most once: the first thread to ask computes it under the lock, and a thread asking
/// meanwhile waits for it (one ``OnceCache`` slot; also a value several checks derive from one submission).
public final class OnceValue<Value: Sendable>: Sendable {
    private let held = Mutex<Value?>(nil)

    /// Nothing computed yet.
    public init() {}

    /// The value: held, being computed by another thread (then waited for), or computed now by `compute`.
    public func value(_ compute: () -> Value) -> Value {
        held.withLock { held in
            if let held { return held }
            let computed = compute()
            held = computed
            return computed
        }
    }
}
