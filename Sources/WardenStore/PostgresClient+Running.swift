import PostgresNIO

extension PostgresClient {
    /// Starts `run()`, which every query needs, in a task the caller keeps and cancels to close the client.
    ///
    /// The task starts synchronously where the platform allows, so `run()` is already going when the first
    /// query leases a connection (otherwise postgres-nio warns that it is not, on every start).
    func startRunning() -> Task<Void, Never> {
        if #available(macOS 26, *) {
            Task.immediate { await self.run() }
        } else {
            Task { await self.run() }
        }
    }
}
