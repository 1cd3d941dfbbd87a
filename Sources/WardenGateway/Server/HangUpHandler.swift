import NIOCore

/// Treats a client's end of input as hanging up, as reverse proxies do, and closes the connection. The server keeps
/// half-closed connections open for writing, so without this a client that left while its stream waited on a silent
/// upstream would go unnoticed until the upstream spoke again; the close cancels the relay (which watches the
/// connection's close future) and with it the upstream call. Every request part passes through untouched.
final class HangUpHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case .some(.inputClosed) = event as? ChannelEvent {
            context.close(promise: nil)
        }
    }
}
