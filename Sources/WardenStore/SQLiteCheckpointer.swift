import Foundation
import GRDB

/// Moves WAL checkpoints off the write path. SQLite's automatic checkpoint runs inside whichever commit crosses the
/// threshold and waits for fsync there, which showed as multi-millisecond spikes in the latency of opening records;
/// here a separate connection checkpoints in the background (PASSIVE: it never blocks writers) once a second.
final class SQLiteCheckpointer: Sendable {
    private let task: Task<Void, Never>

    init(path: String, interval: Duration = .seconds(1)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                _ = try? await connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
            }
            _ = try? await connection.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try? connection.close()
        }
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}
