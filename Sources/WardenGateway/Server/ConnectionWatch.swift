import NIOCore
import Synchronization

/// Whether a client's connection is still there, for the requests it carries. A request waits on it only while it
/// has something outstanding and leaves nothing behind when done: a keep-alive connection carries thousands of
/// requests, and callbacks on the channel's close future would pile up until it closed.
final class ConnectionWatch: Sendable {
    private struct State {
        var closed = false
        var next = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Marks the connection gone and wakes every request waiting on it.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns once the connection is gone (at once if it already is), or once the waiting task is cancelled.
    func closed() async {
        let id = state.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.closed || Task.isCancelled { return true }
                    state.waiters[id] = waiter
                    return false
                }
                if now { waiter.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Requests waiting right now.
    var waiting: Int { state.withLock { $0.waiters.count } }
}

/// The watch of each open connection, found by its channel: the request context is built away from the channel's
/// handlers, so they register here and the context looks its connection up.
enum ConnectionWatches {
    private static let open = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    static func register(_ watch: ConnectionWatch, for channel: any Channel) {
        open.withLock { $0[ObjectIdentifier(channel)] = watch }
    }

    static func remove(_ channel: any Channel) {
        open.withLock { $0[ObjectIdentifier(channel)] = nil }
    }

    static func watch(for channel: any Channel) -> ConnectionWatch? {
        open.withLock { $0[ObjectIdentifier(channel)] }
    }
}
