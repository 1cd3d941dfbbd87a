/// Runs `operation` and cancels it as soon as the client's connection is gone, even while the operation waits on a
/// silent upstream. The connection is watched, not read: a watcher that reads the inbound stream takes the next
/// request's bytes with it, so the connection could not be kept alive for the next call.
func withCancellationOnClose<Value: Sendable>(
    _ connection: ConnectionWatch?,
    _ operation: () async throws -> Value
) async throws -> Value {
    guard let connection else { return try await operation() }
    return try await withoutActuallyEscaping(operation) { operation in
        // The operation runs in a child task while this task waits for the group, so whatever it captures is never used
        // from two tasks at once.
        let transfer = UnsafeTransfer(operation)
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask {
                await connection.closed()
                if Task.isCancelled { return nil }
                throw CancellationError()
            }
            group.addTask { try await transfer.value() }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }
}

/// A value handed to a child task that never shares it (see `withCancellationOnClose`).
private struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
