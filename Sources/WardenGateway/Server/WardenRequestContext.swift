import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core storage plus the caller's address for the record.
public struct WardenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
