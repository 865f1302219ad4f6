import Foundation
import Synchronization

/// A task executor that runs its jobs on one dedicated thread.
///
/// Grading may be CPU-bound and never suspend. On the shared cooperative pool (one thread per core) a few
/// runaway submissions would starve everything else, including the timers that are meant to stop them.
/// Running each submission on its own thread keeps the pool free: a timed-out submission's thread is
/// abandoned (it keeps running until it finishes or the process exits) and the batch carries on.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread exit once its queue is empty.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Resumes a continuation exactly once, whichever racer arrives first.
final class FirstOf<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) { self.continuation = Mutex(continuation) }

    func resume(_ value: Value) {
        let pending = continuation.withLock { slot in
            defer { slot = nil }
            return slot
        }
        pending?.resume(returning: value)
    }
}

/// Runs `operation` on its own thread and returns its value, or `nil` when `seconds` pass first.
/// The operation is cancelled on timeout but not awaited: a CPU-bound operation may run on in the background.
func withDeadline<Value: Sendable>(
    seconds: Double, name: String, _ operation: @escaping @Sendable () async -> Value
) async -> Value? {
    await withDeadline(
        expiry: { try? await Task.sleep(for: .milliseconds(Int64(max(seconds, 0) * 1000))) }, name: name, operation)
}

/// Runs `operation` on its own thread and returns its value, or `nil` when `expiry` returns first (the time limit;
/// tests pass an event instead of a clock). The expiry is cancelled once the operation finishes.
func withDeadline<Value: Sendable>(
    expiry: @escaping @Sendable () async -> Void, name: String, _ operation: @escaping @Sendable () async -> Value
) async -> Value? {
    let executor = ThreadExecutor(name: name)
    let work = Task(executorPreference: executor) { await operation() }
    let timer = Task {
        await expiry()
        return ()
    }
    let value: Value? = await withCheckedContinuation { continuation in
        let first = FirstOf<Value?>(continuation)
        Task {
            let value = await work.value
            first.resume(value)
        }
        Task {
            await timer.value
            first.resume(nil)
        }
    }
    if value == nil { work.cancel() } else { timer.cancel() }
    // The thread exits when its queue drains (at once if the work finished, later if it is still running).
    Task {
        _ = await work.value
        executor.shutdown()
    }
    return value
}
