import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Running independent pieces of the lab's work on every core. Results land in preallocated slots, one per
/// worker, so no two threads ever write the same memory. BLAS is set to one thread per call by the command line
/// (`BLASThreads`), which makes calls from several threads safe and keeps the cores from being oversubscribed.
enum ParallelWork {
    /// Online processors.
    static var coreCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }

    /// Runs `body(0..<count)` concurrently and returns when all are done.
    static func run(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count <= 1 {
            body(0)
            return
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Per-worker result slots shared with the workers (each writes only its own index).
    struct Pointers: @unchecked Sendable {
        let forests: UnsafeMutablePointer<UnionFind>
        let edgeCounts: UnsafeMutablePointer<Int>
    }

    /// A read-only pointer shared with the workers while its owner keeps the memory alive.
    struct ReadOnly<T>: @unchecked Sendable {
        let pointer: UnsafePointer<T>
    }
}

/// `(0..<count).map(transform)`, computed on all cores; results in index order.
///
/// For independent, CPU-bound pieces of the route (cleaning chunks, the four experiments). BLAS calls inside
/// `transform` are safe when BLAS runs one thread per call (see `BLASThreads`).
public func concurrentMap<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return count == 1 ? [transform(0)] : [] }
    let slots = UnsafeMutablePointer<T>.allocate(capacity: count)
    defer { slots.deallocate() }
    let shared = ParallelWork.Slots(pointer: slots)
    // Every index is written exactly once, by one worker.
    DispatchQueue.concurrentPerform(iterations: count) { i in (shared.pointer + i).initialize(to: transform(i)) }
    let results = Array(UnsafeBufferPointer(start: slots, count: count))
    slots.deinitialize(count: count)
    return results
}

extension ParallelWork {
    /// Result slots shared with the workers of `concurrentMap` (each writes only its own index).
    struct Slots<T>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<T>
    }
}
