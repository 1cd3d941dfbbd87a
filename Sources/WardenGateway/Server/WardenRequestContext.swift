import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core storage, the caller's address for the record, and its connection's watch (a
/// call whose client hangs up is abandoned at once).
public struct WardenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?
    let connection: ConnectionWatch?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        connection = ConnectionWatches.watch(for: source.channel)
    }
}
