import Synchronization

/// Test hooks into the simulated upstream; set them while it runs.
public final class SimulatorHooks: Sendable {
    private let beforeEventHook = Mutex<(@Sendable (Int) async -> Void)?>(nil)
    private let beforeMessageHook = Mutex<(@Sendable () async -> Void)?>(nil)

    public init() {}

    /// Called with the 0-based index of a streamed event before it is written, so a test can hold the stream at
    /// event N and prove that a proxy delivers the events before it without buffering.
    public var beforeEvent: (@Sendable (Int) async -> Void)? {
        get { beforeEventHook.withLock { $0 } }
        set { beforeEventHook.withLock { $0 = newValue } }
    }

    /// Called before a non-streaming Message is answered, so a test can hold the answer back as a model thinking for
    /// minutes would.
    public var beforeMessage: (@Sendable () async -> Void)? {
        get { beforeMessageHook.withLock { $0 } }
        set { beforeMessageHook.withLock { $0 = newValue } }
    }
}
