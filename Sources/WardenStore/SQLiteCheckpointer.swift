import Dispatch
import Foundation
import GRDB

/// Moves WAL checkpoints off the write path and keeps the WAL from growing under steady load.
///
/// SQLite's automatic checkpoint runs inside whichever commit crosses the threshold and waits for fsync there, which
/// showed as multi-millisecond spikes in the latency of opening records; here a separate connection checkpoints in the
/// background instead. A passive checkpoint alone never blocks writers, but under steady traffic a commit always lands
/// while it runs, so the WAL is never found fully copied and never starts over: it grew by 14 MB a second under the
/// benchmark's load. So each round copies the bulk passively, then asks for a restart checkpoint, which holds the
/// write lock only while it copies the few frames added meanwhile and waits — at most `patience` — for readers to
/// leave the WAL. The next commit then writes the WAL from its start again.
///
/// Rounds run on their own dispatch queue, not as a task: commits run synchronously on the concurrency pool, and a
/// saturated pool starved a task-based checkpointer exactly when the WAL grew fastest.
final class SQLiteCheckpointer: @unchecked Sendable {
    // Unchecked: the timer is created once and only cancelled; DispatchSource's own calls are thread-safe.
    private let queue = DispatchQueue(label: "warden.sqlite.checkpointer")
    private let timer: any DispatchSourceTimer
    private let connection: DatabaseQueue

    /// How long a restart waits for a lock before giving up until the next round; writers wait at most this long too.
    static let patience: Duration = .milliseconds(2)

    init(path: String, interval: Duration = .seconds(1)) throws {
        let connection = try DatabaseQueue(path: path, configuration: Self.configuration())
        self.connection = connection
        let nanoseconds = Int(interval / .nanoseconds(1))
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
        timer.setEventHandler { Self.round(connection) }
        timer.resume()
    }

    /// Stops the rounds and leaves the WAL empty, so a stopped store is one file.
    func stop() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                self.timer.cancel()
                _ = try? self.connection.writeWithoutTransaction { try $0.checkpoint(.truncate) }
                try? self.connection.close()
                done.resume()
            }
        }
    }

    /// One round: the bulk copied without blocking anyone, then the tail with a brief hold on the write lock. A busy
    /// database makes the restart give up; the next round tries again.
    private static func round(_ connection: DatabaseQueue) {
        _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
        _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.restart) }
    }

    /// The busy handler retries every 100 µs up to `patience`, instead of SQLite's sleeps of milliseconds.
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        let step: Duration = .microseconds(100)
        let tries = Int(patience / step)
        configuration.busyMode = .callback { attempt in
            guard attempt < tries else { return false }
            usleep(UInt32(step / .microseconds(1)))
            return true
        }
        return configuration
    }
}
