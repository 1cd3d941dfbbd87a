import Foundation
import Synchronization

/// Tokens that verified, by their SHA-256, until they expire. Bounded: when full it starts over, which costs
/// one re-verification per live token and never serves a stale verdict.
final class VerdictCache: Sendable {
    private struct Verdict: Sendable {
        var caller: VerifiedCaller
        var expiry: TimeInterval
    }

    private let limit: Int
    private let verdicts = Mutex([String: Verdict]())

    init(limit: Int) {
        self.limit = limit
    }

    /// The cached caller if its token is still valid at `time` (seconds since 1970, leeway already applied).
    func caller(for tokenHash: String, at time: TimeInterval) -> VerifiedCaller? {
        verdicts.withLock { verdicts in
            guard let verdict = verdicts[tokenHash] else { return nil }
            guard time < verdict.expiry else {
                verdicts[tokenHash] = nil
                return nil
            }
            return verdict.caller
        }
    }

    func store(_ caller: VerifiedCaller, for tokenHash: String, expiry: TimeInterval) {
        guard limit > 0 else { return }
        verdicts.withLock { verdicts in
            if verdicts.count >= limit { verdicts.removeAll(keepingCapacity: true) }
            verdicts[tokenHash] = Verdict(caller: caller, expiry: expiry)
        }
    }

    func removeAll() {
        verdicts.withLock { $0.removeAll() }
    }
}
