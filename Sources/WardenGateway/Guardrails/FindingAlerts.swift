import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle
import WardenCore

/// Raises findings at or above the configured severity: a log line at once, and a JSON POST to the alert webhook from a
/// queue drained beside the server, so an exchange never waits for an alert. Carries the masked excerpt, never a value.
final class FindingAlerts: Service {
    private let threshold: Finding.Severity?
    private let webhook: String?
    private let httpClient: HTTPClient
    private let logger: Logger
    private let queue: AsyncStream<FindingRecordJSON>
    private let enqueue: AsyncStream<FindingRecordJSON>.Continuation
    static let timeout = Duration.seconds(10)

    init(policy: GuardrailPolicy, httpClient: HTTPClient, logger: Logger) {
        threshold = policy.alertSeverity
        webhook = policy.alertWebhook
        self.httpClient = httpClient
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: FindingRecordJSON.self, bufferingPolicy: .bufferingOldest(10_000))
    }

    func raise(_ findings: [ExchangeFinding], exchange: ExchangeOpening, sessionID: String?) {
        guard let threshold else { return }
        for finding in findings where finding.severity >= threshold {
            logger.warning(
                "guardrail finding",
                metadata: [
                    "exchange": "\(exchange.id)",
                    "subject": "\(exchange.principal.subject)",
                    "rule": "\(finding.ruleID)",
                    "category": "\(finding.category.rawValue)",
                    "severity": "\(finding.severity)",
                    "location": "\(finding.location)",
                    "action": "\(finding.action.rawValue)",
                    "excerpt": "\(finding.excerpt)",
                ]
            )
            guard webhook != nil else { continue }
            let record = FindingRecord(
                exchangeID: exchange.id.rawValue,
                sessionID: sessionID,
                at: Date(),
                issuer: exchange.principal.issuer,
                subject: exchange.principal.subject,
                displayName: exchange.principal.displayName,
                finding: finding
            )
            // The same object `warden findings list --json` prints, marked as an alert.
            enqueue.yield(FindingRecordJSON(record, type: "warden.finding"))
        }
    }

    /// Posts queued alerts until shutdown, then the ones still queued. Without a webhook it only waits for shutdown:
    /// a service that returns early would stop the whole gateway.
    func run() async throws {
        guard let webhook else {
            try? await gracefulShutdown()
            return
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        await withGracefulShutdownHandler {
            for await alert in queue {
                await post(alert, to: webhook, encoder: encoder)
            }
        } onGracefulShutdown: { [enqueue] in
            enqueue.finish()
        }
    }

    private func post(_ alert: FindingRecordJSON, to url: String, encoder: JSONEncoder) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        guard let body = try? encoder.encode(alert) else { return }
        request.body = .bytes(ByteBuffer(data: body))
        do {
            let response = try await httpClient.execute(request, timeout: .init(Self.timeout), logger: logger)
            _ = try await response.body.collect(upTo: 64 << 10)
            if !(200..<300).contains(response.status.code) {
                logger.warning("alert webhook refused", metadata: ["status": "\(response.status.code)", "rule": "\(alert.finding.rule)"])
            }
        } catch {
            logger.warning("alert webhook unreachable", metadata: ["error": "\(error)", "rule": "\(alert.finding.rule)"])
        }
    }
}
