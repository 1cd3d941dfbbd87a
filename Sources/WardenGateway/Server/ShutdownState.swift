import ServiceLifecycle
import Synchronization

/// Knows whether Warden is draining and how many exchanges are still open, so an exchange cancelled by the end of
/// the grace period is recorded as interrupted (not as a client that went away), and the store is closed only after
/// every open exchange has written its closing record.
public final class ShutdownState: Service, Sendable {
    private struct State {
        var draining = false
        var open = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var isDraining: Bool { state.withLock { $0.draining } }

    public func run() async throws {
        try? await gracefulShutdown()
        state.withLock { $0.draining = true }
    }

    func exchangeOpened() {
        state.withLock { $0.open += 1 }
    }

    func exchangeClosed() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open -= 1
            guard state.open == 0 else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no exchange is open, or after `limit` (a closing record that never comes is left to the
    /// interrupted-marking of the next start).
    func waitUntilIdle(limit: Duration) async {
        let timer = Task {
            try await Task.sleep(for: limit)
            let waiters = state.withLock { state in
                defer { state.idleWaiters.removeAll() }
                return state.idleWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        await waitUntilIdle()
        timer.cancel()
    }

    private func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state -> Bool in
                if state.open == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
