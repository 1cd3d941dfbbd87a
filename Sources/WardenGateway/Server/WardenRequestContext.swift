import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core storage, the caller's address for the record, and when its connection closes
/// (a stream whose client hangs up is abandoned at once).
public struct WardenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?
    public let connectionClosed: EventLoopFuture<Void>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        connectionClosed = source.channel.closeFuture
    }
}
