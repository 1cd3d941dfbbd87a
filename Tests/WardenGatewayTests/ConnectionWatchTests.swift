import Testing

@testable import WardenGateway

/// A connection's watch: wakes its waiters when the connection goes, and forgets a waiter that stops waiting.
@Suite("Connection watch")
struct ConnectionWatchTests {
    @Test("closing wakes every waiter, and a later wait returns at once")
    func closeWakesWaiters() async {
        let watch = ConnectionWatch()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await watch.closed() } }
            while watch.waiting < 3 { await Task.yield() }
            watch.close()
            await group.waitForAll()
        }
        #expect(watch.waiting == 0)
        await watch.closed()
    }

    @Test("a cancelled waiter returns and leaves nothing behind, as a finished request on a kept-alive connection must")
    func cancelledWaiterIsForgotten() async {
        let watch = ConnectionWatch()
        for _ in 0..<100 {
            let waiter = Task { await watch.closed() }
            while watch.waiting == 0 { await Task.yield() }
            waiter.cancel()
            await waiter.value
        }
        #expect(watch.waiting == 0)
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await watch.closed()
        }
        await cancelledFirst.value
        #expect(watch.waiting == 0)
    }

    @Test("an operation outlives a watch that stays open, and is cancelled when it closes")
    func operationCancelledOnClose() async throws {
        let watch = ConnectionWatch()
        #expect(try await withCancellationOnClose(watch) { 42 } == 42)
        #expect(watch.waiting == 0)
        let (started, startedSink) = AsyncStream.makeStream(of: Void.self)
        let running = Task {
            try await withCancellationOnClose(watch) {
                startedSink.yield()
                try await Task.sleep(for: .seconds(600))
                return 0
            }
        }
        var iterator = started.makeAsyncIterator()
        await iterator.next()
        watch.close()
        await #expect(throws: CancellationError.self) { try await running.value }
    }
}
