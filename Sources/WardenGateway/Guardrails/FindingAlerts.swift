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
    /// One finding as the webhook receives it.
    struct Alert: Encodable, Sendable {
        struct Caller: Encodable, Sendable {
            var issuer: String
            var subject: String
            var displayName: String?

            enum CodingKeys: String, CodingKey {
                case issuer, subject
                case displayName = "display_name"
            }
        }

        var type = "warden.finding"
        var exchangeID: String
        var sessionID: String?
        var at: Date
        var caller: Caller
        var rule: String
        var category: String
        var severity: String
        var location: String
        var action: String
        var excerpt: String

        enum CodingKeys: String, CodingKey {
            case type, at, caller, rule, category, severity, location, action, excerpt
            case exchangeID = "exchange_id"
            case sessionID = "session_id"
        }
    }

    private let threshold: Finding.Severity?
    private let webhook: String?
    private let httpClient: HTTPClient
    private let logger: Logger
    private let queue: AsyncStream<Alert>
    private let enqueue: AsyncStream<Alert>.Continuation
    static let timeout = Duration.seconds(10)

    init(policy: GuardrailPolicy, httpClient: HTTPClient, logger: Logger) {
        threshold = policy.alertSeverity
        webhook = policy.alertWebhook
        self.httpClient = httpClient
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: Alert.self, bufferingPolicy: .bufferingOldest(10_000))
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
            enqueue.yield(
                Alert(
                    exchangeID: exchange.id.rawValue,
                    sessionID: sessionID,
                    at: Date(),
                    caller: .init(
                        issuer: exchange.principal.issuer,
                        subject: exchange.principal.subject,
                        displayName: exchange.principal.displayName
                    ),
                    rule: finding.ruleID,
                    category: finding.category.rawValue,
                    severity: finding.severity.description,
                    location: finding.location,
                    action: finding.action.rawValue,
                    excerpt: finding.excerpt
                )
            )
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

    private func post(_ alert: Alert, to url: String, encoder: JSONEncoder) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        guard let body = try? encoder.encode(alert) else { return }
        request.body = .bytes(ByteBuffer(data: body))
        do {
            let response = try await httpClient.execute(request, timeout: .init(Self.timeout), logger: logger)
            _ = try await response.body.collect(upTo: 64 << 10)
            if !(200..<300).contains(response.status.code) {
                logger.warning("alert webhook refused", metadata: ["status": "\(response.status.code)", "rule": "\(alert.rule)"])
            }
        } catch {
            logger.warning("alert webhook unreachable", metadata: ["error": "\(error)", "rule": "\(alert.rule)"])
        }
    }
}
