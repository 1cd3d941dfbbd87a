import Foundation
import Synchronization

/// One request exactly as the simulated upstream received it, so tests can check what a proxy forwarded.
public struct RecordedRequest: Sendable, Hashable {
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public var method: String
    /// Path and query, e.g. `/v1/messages?beta=true`.
    public var uri: String
    /// In the order received, with names as sent.
    public var headers: [Header]
    public var body: Data

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Every request the simulated upstream received, oldest first.
public final class RequestLog: Sendable {
    private let entries = Mutex<[RecordedRequest]>([])
    private let observer = Mutex<(@Sendable (RecordedRequest) -> Void)?>(nil)

    public init() {}

    /// Called with each request as it arrives (`warden simulate-upstream --request-log` writes them to a file).
    public var onRequest: (@Sendable (RecordedRequest) -> Void)? {
        get { observer.withLock { $0 } }
        set { observer.withLock { $0 = newValue } }
    }

    public var requests: [RecordedRequest] {
        entries.withLock { $0 }
    }

    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    func append(_ request: RecordedRequest) {
        entries.withLock { $0.append(request) }
        observer.withLock { $0 }?(request)
    }
}
