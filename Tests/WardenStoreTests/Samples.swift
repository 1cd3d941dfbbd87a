import Foundation
import WardenCore

/// Records for the store cases: explicit values, timestamps with odd microseconds, and bodies of
/// deterministic noise, which no chunking or compression can shrink by accident.
enum Samples {
    static let issuer = "https://issuer.example"

    /// An instant with whole microseconds (all a store keeps), `micros` after a fixed start.
    static func time(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(1_760_000_000_123_457 + micros) / 1_000_000)
    }

    static func seconds(_ seconds: Int64) -> Date { time(seconds * 1_000_000) }

    static func principal(_ subject: String, displayName: String? = nil, issuer: String = issuer) -> Principal {
        Principal(issuer: issuer, subject: subject, displayName: displayName)
    }

    /// A plain opening received at `at`; its id sorts by `at`.
    static func opening(
        at: Date,
        session: SessionAssignment,
        principal: Principal = principal("alice"),
        model: String? = "claude-sonnet-4-5",
        body: Data = Data(#"{"model":"claude-sonnet-4-5","messages":[]}"#.utf8)
    ) -> ExchangeOpening {
        ExchangeOpening(
            id: ExchangeID(date: at),
            session: session,
            principal: principal,
            tokenHash: String(repeating: "0f", count: 32),
            method: "POST",
            path: "/v1/messages",
            requestBody: body,
            model: model,
            receivedAt: at
        )
    }

    static func keyed(_ key: String, source: SessionSource = .claudeCode) -> SessionAssignment {
        SessionAssignment(source: source, key: key)
    }

    static func conversation(prefixes: [String], digest: String) -> SessionAssignment {
        SessionAssignment(source: .conversation, conversationPrefixes: prefixes, conversationDigest: digest)
    }

    /// `count` bytes of SplitMix64 output: the same for the same seed, unrelated across seeds.
    static func noise(_ count: Int, seed: UInt64) -> Data {
        // Every seed walks the same cycle; mixing the seed first starts them far apart on it, so streams do not overlap.
        var state = mix(seed)
        var bytes = Data(capacity: count + 8)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            withUnsafeBytes(of: mix(state)) { bytes.append(contentsOf: $0) }
        }
        return bytes.prefix(count)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D1_49BB_133F_4911
        return mixed ^ (mixed >> 31)
    }
}
