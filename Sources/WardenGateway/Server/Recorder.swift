import Foundation
import Logging
import WardenCore
import WardenStore

/// The gateway's side of the store: strict mode turns a failed opening into a refusal to forward,
/// best-effort mode forwards anyway and says so in the log. Closings and refusals never block a caller's answer.
struct Recorder: Sendable {
    let store: any RecordingStore
    let mode: WardenConfiguration.RecordingMode
    let logger: Logger

    /// The session id, or nil when best-effort recording failed. Throws only in strict mode.
    func open(_ opening: ExchangeOpening) async throws(AnthropicError) -> String? {
        do {
            return try await store.open(opening)
        } catch {
            logger.error("recording failed: exchange not opened", metadata: ["exchange": "\(opening.id)", "error": "\(error)"])
            if mode == .strict { throw .recordingUnavailable() }
            return nil
        }
    }

    func close(_ closing: ExchangeClosing) async {
        do {
            try await store.close(closing)
        } catch {
            logger.error("recording failed: exchange not closed", metadata: ["exchange": "\(closing.id)", "error": "\(error)"])
        }
    }

    func refuse(_ attempt: RefusedAttempt) async {
        do {
            try await store.refuse(attempt)
        } catch {
            logger.error("recording failed: refused attempt not kept", metadata: ["attempt": "\(attempt.id)", "error": "\(error)"])
        }
    }
}
