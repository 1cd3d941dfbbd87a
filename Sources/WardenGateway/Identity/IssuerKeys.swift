import Foundation
import JWTKit
import WardenCore

/// One issuer's signing keys: fetched once, reused until their TTL, refetched when a token names an unknown
/// `kid` (IdP rotation) — at most once per interval and with one fetch in flight — and kept when the IdP is down.
actor IssuerKeys {
    typealias Fetch = @Sendable () async throws -> Data

    private struct KeySet {
        var collection: JWTKeyCollection
        var keyIDs: Set<String>
        var fetchedAt: ContinuousClock.Instant
    }

    private let fetch: Fetch
    private let ttl: Duration
    private let minimumRefreshInterval: Duration
    private var current: KeySet?
    /// When an unknown `kid` last caused a fetch: the rate limit that keeps random kids from becoming a flood of fetches.
    private var lastUnknownKeyRefresh: ContinuousClock.Instant?
    private var inFlight: Task<KeySet, any Error>?
    /// Called with the key ids that disappeared, so cached verdicts for tokens they signed can be dropped.
    private let onKeysRemoved: @Sendable () -> Void

    init(fetch: @escaping Fetch, ttl: Duration, minimumRefreshInterval: Duration, onKeysRemoved: @escaping @Sendable () -> Void) {
        self.fetch = fetch
        self.ttl = ttl
        self.minimumRefreshInterval = minimumRefreshInterval
        self.onKeysRemoved = onKeysRemoved
    }

    /// The key collection to verify a token signed with `keyID`.
    func collection(for keyID: String?) async throws(TokenRefusal) -> JWTKeyCollection {
        let now = ContinuousClock.now
        if current == nil || now - current!.fetchedAt > ttl {
            await refresh()
        }
        guard var keys = current else { throw .keysUnavailable }
        if !knows(keyID, in: keys), lastUnknownKeyRefresh.map({ now - $0 >= minimumRefreshInterval }) ?? true {
            lastUnknownKeyRefresh = now
            await refresh()
            keys = current ?? keys
        }
        guard knows(keyID, in: keys) else {
            if let keyID { throw .unknownKey(keyID) }
            throw .malformed("no kid, and the issuer publishes several keys")
        }
        return keys.collection
    }

    private func knows(_ keyID: String?, in keys: KeySet) -> Bool {
        guard let keyID else { return keys.keyIDs.count == 1 }
        return keys.keyIDs.contains(keyID)
    }

    /// Refreshes once, sharing the fetch with concurrent callers; on failure keeps the keys already known.
    private func refresh() async {
        if inFlight == nil {
            let fetch = self.fetch
            inFlight = Task { try await Self.load(fetch) }
        }
        guard let task = inFlight else { return }
        let result = await task.result
        inFlight = nil
        if case .success(let keys) = result {
            if let previous = current, !previous.keyIDs.isSubset(of: keys.keyIDs) { onKeysRemoved() }
            current = keys
        }
    }

    private static func load(_ fetch: Fetch) async throws -> KeySet {
        let jwks = try JSONDecoder().decode(JWKS.self, from: try await fetch())
        let collection = JWTKeyCollection()
        var keyIDs: Set<String> = []
        for key in jwks.keys {
            guard let kid = key.keyIdentifier?.string, (try? await collection.add(jwk: key)) != nil else { continue }
            keyIDs.insert(kid)
        }
        return KeySet(collection: collection, keyIDs: keyIDs, fetchedAt: ContinuousClock.now)
    }
}
