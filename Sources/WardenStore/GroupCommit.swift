import Synchronization

/// Turns many concurrent writes into few transactions: callers submit a job and wait; one drain loop
/// takes everything queued so far, commits it as one batch, and wakes each caller with its own result.
/// Latency stays one commit when idle; throughput grows with load instead of collapsing.
final class GroupCommit<Job: Sendable, Output: Sendable>: Sendable {
    typealias Apply = @Sendable ([Job]) async throws -> [Result<Output, any Error>]

    private struct Waiting {
        var job: Job
        var continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var draining = false
        var closed = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let apply: Apply

    init(apply: @escaping Apply) {
        self.apply = apply
    }

    /// Returns once the job's batch has committed. Not cancelled with the caller's task: a write that
    /// started always finishes, so a disconnecting client cannot leave a half-written record.
    func submit(_ job: Job) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool? in
                if state.closed { return nil }
                state.queue.append(Waiting(job: job, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            switch start {
            case nil: continuation.resume(throwing: StoreError.closed)
            case true?: Task { await self.drain() }
            case false?: break
            }
        }
    }

    /// Waits for queued work to commit and refuses new work.
    func close() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                state.closed = true
                if !state.draining { return true }
                state.idle.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = state.queue
                state.queue.removeAll(keepingCapacity: true)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty {
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    defer { state.idle.removeAll() }
                    return state.closed ? state.idle : []
                }
                for waiter in waiters { waiter.resume() }
                return
            }
            let results: [Result<Output, any Error>]
            do {
                results = try await apply(batch.map(\.job))
            } catch {
                results = Array(repeating: .failure(error), count: batch.count)
            }
            for (waiting, result) in zip(batch, results) {
                waiting.continuation.resume(with: result)
            }
        }
    }
}
