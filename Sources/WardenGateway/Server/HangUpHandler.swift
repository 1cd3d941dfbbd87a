import NIOCore

/// Tells a connection's requests when its client is gone. A client that ends its input is treated as hanging up, as
/// reverse proxies treat it, and the connection is closed: the server keeps half-closed connections open for writing,
/// so without this a client that left while its call waited on a silent upstream would go unnoticed until the
/// upstream spoke again. Every request part passes through untouched.
final class HangUpHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let watch = ConnectionWatch()

    func handlerAdded(context: ChannelHandlerContext) {
        ConnectionWatches.register(watch, for: context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ConnectionWatches.remove(context.channel)
        watch.close()
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch.close()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case .some(.inputClosed) = event as? ChannelEvent {
            watch.close()
            context.close(promise: nil)
        }
    }
}
