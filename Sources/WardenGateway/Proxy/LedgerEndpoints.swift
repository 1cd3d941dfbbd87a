import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WardenCore
import WardenStore

/// `GET /ledger/checkpoint` and `GET /ledger/proof/{exchange-id}`: the latest signed checkpoint, and a C2SP tlog-proof
/// receipt a CI job can keep for its own exchange. Both need a verified caller; a receipt only for the caller's own
/// exchanges, so one identity cannot learn another's metadata from Warden.
extension GatewayResponder {
    func ledgerResponse(_ request: Request, route: ProxyRoute, context: Context, receivedAt: Date) async -> Response {
        let headers = request.headers.map { HeaderField($0.name.rawName, $0.value) }
        let caller: VerifiedCaller
        switch await authenticate(request, headers: headers, context: context, receivedAt: receivedAt) {
        case .success(let verified): caller = verified
        case .failure(let refusal): return refusal.response
        }
        guard let ledger else { return Self.errorResponse(Self.ledgerNotFound("the ledger is disabled on this gateway")) }
        do {
            if route == .ledgerCheckpoint {
                guard let note = await ledger.checkpoint else {
                    return Self.errorResponse(Self.ledgerNotFound("no checkpoint has been signed yet"))
                }
                return Self.text(note.serialized)
            }
            let id = String(request.uri.path.split(separator: "/").last ?? "")
            guard let receipt = try await ledger.receipt(recordID: id),
                let entry = try? LedgerEntry(encoded: receipt.extra ?? []),
                entry.kind == .exchange, entry.issuer == caller.principal.issuer, entry.subject == caller.principal.subject
            else {
                var error = Self.ledgerNotFound(
                    "no receipt for \(id.prefix(64)) yet: it is not one of your exchanges, or it is not in a signed checkpoint yet"
                )
                error.shouldRetry = true
                error.headers.append(HeaderField("retry-after", "1"))
                return Self.errorResponse(error)
            }
            return Self.text(receipt.serialized)
        } catch {
            logger.error("ledger request failed", metadata: ["error": "\(error)"])
            return Self.errorResponse(AnthropicError(status: 500, type: "api_error", message: "Warden could not read its ledger"))
        }
    }

    private static func ledgerNotFound(_ message: String) -> AnthropicError {
        AnthropicError(status: 404, type: "not_found_error", message: message)
    }

    private static func text(_ body: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}
