import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WardenCore
import WardenStore

/// The request pipeline of DESIGN.md for one exchange: route, identity, body, session, durable opening record,
/// forward with Warden's credential, tee the answer to the client and the recorder, closing record.
struct GatewayResponder: HTTPResponder {
    typealias Context = WardenRequestContext

    static let exchangeHeader = "Warden-Exchange-Id"
    static let sessionHeader = "Warden-Session-Id"

    let configuration: WardenConfiguration
    let verifier: TokenVerifier
    let recorder: Recorder
    let httpClient: HTTPClient
    let shutdown: ShutdownState
    /// Nil when the ledger is disabled.
    let ledger: LedgerSequencer?
    /// Nil when `guardrails.enabled` is false.
    let guardrails: GuardrailStage?
    let readiness: @Sendable () async -> Bool
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let receivedAt = Date()
        let path = request.uri.path
        guard let route = ProxyRoute(method: request.method.rawValue, path: path) else {
            return Self.errorResponse(.notFound(path: "\(request.method.rawValue) \(path.prefix(200))"))
        }
        switch route {
        case .probe:
            return Response(status: .ok)
        case .health:
            return Self.json(status: .ok, ["status": "ok"])
        case .ready:
            let ready = await readiness()
            return Self.json(status: ready ? .ok : .serviceUnavailable, ["status": ready ? "ready" : "not ready"])
        case .ledgerCheckpoint, .ledgerProof:
            return await ledgerResponse(request, route: route, context: context, receivedAt: receivedAt)
        default:
            return await forward(request, route: route, context: context, receivedAt: receivedAt)
        }
    }

    private func forward(_ request: Request, route: ProxyRoute, context: Context, receivedAt: Date) async -> Response {
        var request = request
        let headers = request.headers.map { HeaderField($0.name.rawName, $0.value) }
        let userAgent = headers.first(named: "user-agent")
        let contentEncoding = headers.first(named: "content-encoding")
        let caller: VerifiedCaller
        switch await authenticate(request, headers: headers, context: context, receivedAt: receivedAt) {
        case .success(let verified): caller = verified
        case .failure(let refusal): return refusal.response
        }

        let limit = configuration.maxRequestBodyBytes
        if let length = headers.first(named: "content-length").flatMap(Int.init), length > limit {
            return Self.errorResponse(.tooLarge(limit: limit))
        }
        let rawBody: ByteBuffer
        let decodedBody: ByteBuffer
        do {
            rawBody = try await request.collectBody(upTo: limit)
            decodedBody = try RequestBodyDecoding.decoded(rawBody, encoding: contentEncoding, limit: limit)
        } catch let error as AnthropicError {
            return Self.errorResponse(error)
        } catch {
            return Self.errorResponse(.tooLarge(limit: limit))
        }
        let bodyBytes = Array(decodedBody.readableBytesView)
        let bodyData = Data(bodyBytes)
        let parsed = route == .messages || route == .countTokens ? MessagesRequest(json: bodyBytes) : nil
        var opening = ExchangeOpening(
            id: ExchangeID(date: receivedAt),
            session: SessionResolver.assign(headers: headers, request: route == .messages ? parsed : nil, principal: caller.principal),
            principal: caller.principal,
            tokenHash: caller.tokenHash,
            tokenID: caller.tokenID,
            clientAddress: context.remoteAddress,
            userAgent: userAgent,
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            requestHeaders: HeaderPolicy.recordedRequestHeaders(from: headers),
            requestBody: bodyData,
            requestEncoding: contentEncoding,
            model: parsed?.model,
            streamed: parsed?.stream ?? false,
            receivedAt: receivedAt
        )
        var forwarded = (body: rawBody, headers: headers)
        var conversation: String?
        if let guardrails, parsed != nil, route == .messages || route == .countTokens {
            let key = GuardrailStage.conversation(of: opening)
            let verdict = guardrails.inspect(request: bodyBytes, walked: parsed?.layout, path: opening.path, conversation: key)
            opening.findings = verdict.inspection.findings
            opening.requestBody = Data(verdict.recorded)
            if let blocking = verdict.inspection.blocking {
                return await refuse(opening, blockedBy: blocking, guardrails: guardrails)
            }
            if let rewritten = verdict.forwarded {
                // The rewritten body goes out uncompressed, whatever encoding the original came in.
                forwarded.body = ByteBuffer(bytes: rewritten)
                forwarded.headers.removeAll { $0.name.lowercased() == "content-encoding" }
            }
            guardrails.learn(verdict, path: opening.path, conversation: key)
            conversation = key
        }
        let sessionID: String?
        do {
            sessionID = try await recorder.open(opening)
        } catch {
            return Self.errorResponse(error, exchangeID: opening.id)
        }
        let exchange = ExchangeContext(
            opening: opening,
            sessionID: sessionID,
            clock: .now,
            conversation: conversation,
            connection: context.connection
        )
        shutdown.exchangeOpened()
        guardrails?.alerts.raise(opening.findings, exchange: opening, sessionID: sessionID)
        return await relay(request, route: route, body: forwarded.body, headers: forwarded.headers, exchange: exchange)
    }

    /// A request a guardrail rule blocked: recorded (values hidden) with its findings as a blocked exchange, never
    /// forwarded, answered with an error that names the rule.
    private func refuse(_ opening: ExchangeOpening, blockedBy finding: ExchangeFinding, guardrails: GuardrailStage) async -> Response {
        let error = AnthropicError.blocked(finding)
        let sessionID: String?
        do {
            sessionID = try await recorder.open(opening)
        } catch {
            return Self.errorResponse(error, exchangeID: opening.id)
        }
        let exchange = ExchangeContext(opening: opening, sessionID: sessionID, clock: .now, conversation: nil, connection: nil)
        shutdown.exchangeOpened()
        guardrails.alerts.raise(opening.findings, exchange: opening, sessionID: sessionID)
        await finish(exchange, ExchangeClosing(id: opening.id, outcome: .blocked, completedAt: Date(), failure: error.message))
        return Self.errorResponse(error, exchangeID: opening.id)
    }

    /// Verifies the caller's token; a refusal is recorded and logged, and becomes the 401 the caller gets.
    func authenticate(_ request: Request, headers: [HeaderField], context: Context, receivedAt: Date) async -> Result<VerifiedCaller, Refusal> {
        do {
            return .success(try await verifier.verify(headers: headers))
        } catch {
            let attempt = RefusedAttempt(
                id: ExchangeID(date: receivedAt),
                at: receivedAt,
                reason: error.reason.description,
                claimedIssuer: error.claimedIssuer.map { String($0.prefix(300)) },
                claimedSubject: error.claimedSubject.map { String($0.prefix(300)) },
                tokenHash: error.tokenHash,
                clientAddress: context.remoteAddress,
                userAgent: headers.first(named: "user-agent"),
                method: request.method.rawValue,
                path: request.uri.path
            )
            await recorder.refuse(attempt)
            logger.notice(
                "refused",
                metadata: ["attempt": "\(attempt.id)", "reason": "\(attempt.reason)", "client": "\(context.remoteAddress ?? "-")"]
            )
            return .failure(Refusal(response: Self.errorResponse(.authentication(error.reason.description))))
        }
    }

    /// A refused caller's answer, as an error so it can travel in a `Result`.
    struct Refusal: Error {
        let response: Response
    }

    private func relay(_ request: Request, route: ProxyRoute, body: ByteBuffer, headers: [HeaderField], exchange: ExchangeContext) async -> Response {
        var upstreamRequest = HTTPClientRequest(url: configuration.upstream.baseURL + request.uri.description)
        upstreamRequest.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in HeaderPolicy.upstreamRequestHeaders(from: headers) {
            upstreamRequest.headers.add(name: field.name, value: field.value)
        }
        if let key = configuration.upstream.apiKey {
            switch configuration.upstream.credentialHeader {
            case .apiKey: upstreamRequest.headers.add(name: "x-api-key", value: key)
            case .bearer: upstreamRequest.headers.add(name: "authorization", value: "Bearer \(key)")
            }
        }
        if body.readableBytes > 0 || request.method == .post {
            upstreamRequest.body = .bytes(body)
        }
        let forwardedAt = Date()
        let response: HTTPClientResponse
        do {
            // A non-streaming call can think for minutes before its head: a client that hangs up meanwhile ends it.
            let (client, outgoing, timeout, logger) = (httpClient, upstreamRequest, configuration.upstream.responseTimeout, logger)
            response = try await withCancellationOnClose(exchange.connection) {
                try await client.execute(outgoing, timeout: .init(timeout), logger: logger)
            }
        } catch is CancellationError {
            return await abandon(exchange, ExchangeClosing(id: exchange.id, outcome: .complete, forwardedAt: forwardedAt, completedAt: Date()))
        } catch {
            let timedOut = (error as? HTTPClientError) == .deadlineExceeded || (error as? HTTPClientError) == .readTimeout
            let failure: AnthropicError = timedOut ? .upstreamTimeout() : .upstreamUnreachable(Self.describe(error))
            await finish(
                exchange,
                ExchangeClosing(id: exchange.id, outcome: .upstreamFailed, forwardedAt: forwardedAt, completedAt: Date(), failure: failure.message)
            )
            return Self.errorResponse(failure, exchangeID: exchange.id)
        }
        let firstByteAt = Date()
        let upstreamHeaders = response.headers.map { HeaderField($0.name, $0.value) }
        let contentType = upstreamHeaders.first(named: "content-type") ?? ""
        var clientHeaders = HeaderPolicy.clientResponseHeaders(from: upstreamHeaders)
        clientHeaders.append(HeaderField(Self.exchangeHeader, exchange.id.rawValue))
        if let sessionID = exchange.sessionID { clientHeaders.append(HeaderField(Self.sessionHeader, sessionID)) }
        let status = Int(response.status.code)
        let closing = ExchangeClosing(
            id: exchange.id,
            outcome: .complete,
            upstreamStatus: status,
            responseHeaders: upstreamHeaders,
            upstreamRequestID: upstreamHeaders.first(named: "request-id"),
            forwardedAt: forwardedAt,
            firstByteAt: firstByteAt,
            completedAt: firstByteAt
        )
        // Batch objects are read whole so their `results_url` can point back at Warden.
        let rewrite = route == .batches && status == 200 && contentType.contains("json") ? publicURL(authority: request.head.authority) : nil
        let streamed = contentType.lowercased().hasPrefix("text/event-stream")
        // A small answer of known length (every non-streaming Message) arrives whole anyway: it is read in one piece and
        // sent with its length, which saves the per-chunk round trips of the streaming path.
        // A Message that a rule may block is read whole whatever its size, so it can be replaced before it is sent.
        let length = upstreamHeaders.first(named: "content-length").flatMap(Int.init)
        let blockable = route == .messages && guardrails?.inspector.policy.blocksAnything == true
        if rewrite != nil || (!streamed && (blockable || length.map({ $0 <= Self.wholeAnswerLimit }) == true)) {
            return await relayCollected(response, closing: closing, clientHeaders: clientHeaders, exchange: exchange, rewritingTo: rewrite)
        }
        // A stream can run for minutes after its head; the client's connection is watched so a client that hangs up
        // cancels the upstream call at once, even while the upstream is silent.
        let responder = self
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: Self.fields(clientHeaders),
            body: ResponseBody { writer in
                var capture = ResponseCapture(streamed: streamed)
                var closing = closing
                let stream = StreamRelay(upstream: response.body, start: exchange.clock)
                var streamGuard = streamed && exchange.conversation != nil ? responder.guardrails?.streamGuard() : nil
                var failed = false
                var blocked: ExchangeFinding?
                do {
                    if streamed {
                        blocked = try await withCancellationOnClose(exchange.connection) {
                            try await stream.run(writer: &writer, capture: &capture, streamGuard: &streamGuard)
                        }
                    } else {
                        blocked = try await stream.run(writer: &writer, capture: &capture, streamGuard: &streamGuard)
                    }
                } catch {
                    failed = true
                    closing.outcome = stream.upstreamFailed ? .upstreamFailed : responder.clientGone
                    closing.failure = Self.describe(error)
                }
                capture.finish(arrivalMicros: exchange.clock.micros)
                if !failed {
                    closing.outcome = capture.isTruncated ? .truncated : .complete
                    closing.failure = capture.streamError ?? (capture.isTruncated ? "stream ended without message_stop" : nil)
                }
                closing.completedAt = Date()
                closing.responseBody = capture.body
                closing.events = capture.events
                let result = capture.outcome()
                closing.message = result.message
                closing.usage = result.summary?.usage
                closing.stopReason = result.summary?.stopReason
                if let blocked {
                    closing.outcome = .blocked
                    closing.failure = AnthropicError.answerBlocked(blocked).message
                }
                responder.inspectAnswer(&closing, exchange: exchange, streamed: streamed)
                // The closing record is durable before the client sees the end of the answer: an exchange a client
                // saw complete is never lost, whatever happens to Warden afterwards.
                await responder.finish(exchange, closing)
                if failed { throw CancellationError() }
                if let blocked { try await writer.write(ByteBuffer(data: AnthropicError.answerBlocked(blocked).event)) }
                try await writer.finish(nil)
            }
        )
    }

    static let wholeAnswerLimit = 1 << 20

    /// How an exchange ends when its client's side goes away: interrupted while Warden drains, else aborted by the client.
    private var clientGone: Outcome { shutdown.isDraining ? .interrupted : .clientAborted }

    /// Closes an exchange whose client hung up before the answer was read, and answers a client no longer listening.
    private func abandon(_ exchange: ExchangeContext, _ closing: ExchangeClosing) async -> Response {
        var closing = closing
        closing.outcome = clientGone
        closing.failure = "cancelled"
        await finish(exchange, closing)
        return Self.errorResponse(.upstreamUnreachable("the client closed the connection"), exchangeID: exchange.id)
    }

    /// Reads the whole answer, records it, then sends it with its length. Batch objects carry an absolute `results_url`,
    /// which is rewritten (`rewritingTo`) so results are fetched through Warden; the record keeps the upstream's bytes.
    private func relayCollected(
        _ response: HTTPClientResponse,
        closing: ExchangeClosing,
        clientHeaders: [HeaderField],
        exchange: ExchangeContext,
        rewritingTo publicURL: String?
    ) async -> Response {
        var closing = closing
        let body: ByteBuffer
        do {
            body = try await withCancellationOnClose(exchange.connection) { try await response.body.collect(upTo: 64 << 20) }
        } catch is CancellationError {
            closing.completedAt = Date()
            return await abandon(exchange, closing)
        } catch {
            closing.outcome = .upstreamFailed
            closing.failure = Self.describe(error)
            closing.completedAt = Date()
            await finish(exchange, closing)
            return Self.errorResponse(.upstreamUnreachable("the upstream answer could not be read"), exchangeID: exchange.id)
        }
        var capture = ResponseCapture(streamed: false)
        _ = body.withUnsafeReadableBytes { capture.append($0, arrivalMicros: exchange.clock.micros) }
        let result = capture.outcome()
        closing.responseBody = capture.body
        closing.message = result.message
        closing.usage = result.summary?.usage
        closing.stopReason = result.summary?.stopReason
        closing.completedAt = Date()
        let blocked = inspectAnswer(&closing, exchange: exchange, streamed: false)
        if let blocked {
            closing.outcome = .blocked
            closing.failure = AnthropicError.answerBlocked(blocked).message
        }
        await finish(exchange, closing)
        if let blocked { return Self.errorResponse(.answerBlocked(blocked), exchangeID: exchange.id) }
        let sent = publicURL.flatMap { BatchURLRewriter.rewrite(capture.body, publicBaseURL: $0) }.map { ByteBuffer(data: $0) } ?? body
        return Response(
            status: HTTPResponse.Status(code: closing.upstreamStatus ?? 200),
            headers: Self.fields(clientHeaders),
            body: ResponseBody(byteBuffer: sent)
        )
    }

    /// Reads the answer for findings (an exchange whose request was inspected), hides values from its recording,
    /// raises alerts. Returns the finding that blocks it, if any; a blocked answer is not remembered as shown.
    @discardableResult
    private func inspectAnswer(_ closing: inout ExchangeClosing, exchange: ExchangeContext, streamed: Bool) -> ExchangeFinding? {
        guard let guardrails, let conversation = exchange.conversation else { return nil }
        var inspection = guardrails.inspect(answer: closing.message, conversation: conversation)
        closing.findings = inspection.findings
        GuardrailStage.hide(inspection.hiddenValues, in: &closing, streamed: streamed)
        let blocking = inspection.blocking
        if closing.outcome == .blocked { inspection.learned = [] }
        guardrails.learn(inspection, conversation: conversation)
        guardrails.alerts.raise(closing.findings, exchange: exchange.opening, sessionID: exchange.sessionID)
        return blocking
    }

    /// Where callers reach Warden: the configured `public_url`, else the authority the caller itself used.
    private func publicURL(authority: String?) -> String {
        if let configured = configuration.listen.publicURL { return configured }
        let scheme = configuration.listen.tlsCertificate == nil ? "http" : "https"
        if let authority, !authority.isEmpty, !authority.contains("/"), !authority.contains("@") { return "\(scheme)://\(authority)" }
        return configuration.publicURL
    }

    private func finish(_ exchange: ExchangeContext, _ closing: ExchangeClosing) async {
        defer { shutdown.exchangeClosed() }
        if exchange.sessionID != nil {
            await recorder.close(closing)
        }
        logger.info(
            "exchange",
            metadata: [
                "exchange": "\(exchange.id)",
                "session": "\(exchange.sessionID ?? "-")",
                "subject": "\(exchange.opening.principal.subject)",
                "issuer": "\(exchange.opening.principal.issuer)",
                "method": "\(exchange.opening.method)",
                "path": "\(exchange.opening.path)",
                "model": "\(exchange.opening.model ?? "-")",
                "status": "\(closing.upstreamStatus.map(String.init) ?? "-")",
                "outcome": "\(closing.outcome.rawValue)",
                "duration_ms": "\(Int(closing.completedAt.timeIntervalSince(exchange.opening.receivedAt) * 1000))",
                "request_bytes": "\(exchange.opening.requestBody.count)",
                "response_bytes": "\(closing.responseBody.count)",
                "input_tokens": "\(closing.usage?.inputTokens.map(String.init) ?? "-")",
                "output_tokens": "\(closing.usage?.outputTokens.map(String.init) ?? "-")",
            ]
        )
    }

    // MARK: Responses Warden makes itself

    static func errorResponse(_ error: AnthropicError, exchangeID: ExchangeID? = nil) -> Response {
        var headers = error.headers
        headers.append(HeaderField("content-type", "application/json"))
        headers.append(HeaderField("x-should-retry", error.shouldRetry ? "true" : "false"))
        if let exchangeID { headers.append(HeaderField(exchangeHeader, exchangeID.rawValue)) }
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: fields(headers),
            body: ResponseBody(byteBuffer: ByteBuffer(data: error.body))
        )
    }

    static func json(status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    static func fields(_ headers: [HeaderField]) -> HTTPFields {
        var fields = HTTPFields()
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return fields
    }

    /// Error text for records and logs: type and message of the error, never request data.
    static func describe(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        return String(String(describing: error).prefix(300))
    }
}

/// The identity of an exchange while it is in flight.
struct ExchangeContext: Sendable {
    let opening: ExchangeOpening
    let sessionID: String?
    let clock: ContinuousClock.Instant
    /// The conversation key of an inspected request, so its answer is read against the same memory.
    let conversation: String?
    /// The client's connection, watched while the exchange waits on the upstream.
    let connection: ConnectionWatch?

    var id: ExchangeID { opening.id }
}

extension ContinuousClock.Instant {
    /// Microseconds elapsed since this instant.
    var micros: Int64 {
        let elapsed = ContinuousClock.now - self
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }
}
