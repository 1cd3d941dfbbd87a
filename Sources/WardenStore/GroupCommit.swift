import Synchronization

/// Turns many concurrent writes into few transactions (leader/follower group commit). A caller that finds the
/// store idle commits its own job at once, in its own task: no queue, no thread hop, one commit of latency. Callers
/// that arrive while a commit runs queue up and are committed together in the next batch by one drain loop.
/// Throughput grows with load instead of collapsing, and an idle gateway pays only for its own commit.
final class GroupCommit<Job: Sendable, Output: Sendable>: Sendable {
    typealias Apply = @Sendable ([Job]) async throws -> [Result<Output, any Error>]

    private struct Waiting {
        var job: Job
        var continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var busy = false
        var closed = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let apply: Apply

    init(apply: @escaping Apply) {
        self.apply = apply
    }

    /// Returns once the job's batch has committed. A commit that started always finishes, even when the caller's
    /// task is cancelled, so a disconnecting client cannot leave a half-written record.
    func submit(_ job: Job) async throws -> Output {
        let leads = try state.withLock { state -> Bool in
            if state.closed { throw StoreError.closed }
            if state.busy { return false }
            state.busy = true
            return true
        }
        if leads {
            let result = await commit([job])[0]
            handOff()
            return try result.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool? in
                if state.closed { return nil }
                state.queue.append(Waiting(job: job, continuation: continuation))
                if state.busy { return false }
                state.busy = true
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
                if !state.busy { return true }
                state.idle.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func commit(_ jobs: [Job]) async -> [Result<Output, any Error>] {
        do {
            return try await apply(jobs)
        } catch {
            return Array(repeating: .failure(error), count: jobs.count)
        }
    }

    /// After a leader's commit: jobs queued meanwhile go to a drain loop; otherwise the store is idle again.
    private func handOff() {
        let queued = state.withLock { state -> Bool in
            if !state.queue.isEmpty { return true }
            state.busy = false
            return false
        }
        if queued {
            Task { await self.drain() }
        } else {
            resumeIdleWaiters()
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = state.queue
                state.queue.removeAll(keepingCapacity: true)
                if batch.isEmpty { state.busy = false }
                return batch
            }
            if batch.isEmpty {
                resumeIdleWaiters()
                return
            }
            let results = await commit(batch.map(\.job))
            for (waiting, result) in zip(batch, results) {
                waiting.continuation.resume(with: result)
            }
        }
    }

    private func resumeIdleWaiters() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.closed, !state.busy else { return [] }
            defer { state.idle.removeAll() }
            return state.idle
        }
        for waiter in waiters { waiter.resume() }
    }
}
