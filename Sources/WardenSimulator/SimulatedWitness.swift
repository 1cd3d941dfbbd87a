import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import WardenCore

/// A C2SP `tlog-witness` for tests, standing in for the public witnesses a deployment would use: it cosigns a
/// checkpoint only when the log's signature verifies and the checkpoint is consistent with the last one it cosigned
/// for that log, and answers every refusal with the status the specification gives it.
public final class SimulatedWitness: Sendable {
    public let cosigner: Cosigner
    private let logs: [String: NoteVerifierKey]
    /// The latest (size, root) cosigned per origin.
    private let state = Mutex<[String: (size: UInt64, root: MerkleHash)]>([:])
    private let requests = Mutex(0)

    /// `logs`: the verifier key of every log this witness follows, by origin.
    public init(name: String, logs: [NoteVerifierKey]) throws {
        cosigner = try Cosigner.generate(name: name)
        self.logs = Dictionary(logs.map { ($0.name, $0) }) { first, _ in first }
    }

    /// How many add-checkpoint requests arrived, answered or refused.
    public var requestCount: Int { requests.withLock { $0 } }

    /// The size this witness last cosigned for `origin`.
    public func cosignedSize(origin: String) -> UInt64? { state.withLock { $0[origin]?.size } }

    /// Answers one add-checkpoint body with a status and a body, as the specification says.
    public func addCheckpoint(_ body: [UInt8], now: Date = Date()) -> (status: Int, contentType: String?, body: String) {
        requests.withLock { $0 += 1 }
        guard let request = try? WitnessRequest(parsing: body) else { return (400, nil, "malformed request\n") }
        let checkpoint = request.checkpoint
        guard let key = logs[checkpoint.origin] else { return (404, nil, "unknown log\n") }
        guard (try? request.signedCheckpoint.open(verifiers: [key])) != nil else { return (403, nil, "no trusted log signature\n") }
        guard request.oldSize <= checkpoint.size else { return (400, nil, "old size beyond the checkpoint\n") }
        return state.withLock { known -> (Int, String?, String) in
            let latest = known[checkpoint.origin] ?? (size: 0, root: RFC6962.emptyRoot)
            guard request.oldSize == latest.size else {
                return (409, WitnessResponse.sizeContentType, WitnessResponse.sizeBody(latest.size))
            }
            if request.oldSize == checkpoint.size, latest.root != checkpoint.rootHash {
                return (409, WitnessResponse.sizeContentType, WitnessResponse.sizeBody(latest.size))
            }
            do {
                try MerkleVerifier.verifyConsistency(
                    size1: request.oldSize,
                    size2: checkpoint.size,
                    root1: latest.root,
                    root2: checkpoint.rootHash,
                    proof: request.consistencyProof
                )
            } catch {
                return (422, nil, "inconsistent\n")
            }
            guard let cosignature = try? cosigner.cosign(checkpoint, at: now) else { return (500, nil, "cannot cosign\n") }
            known[checkpoint.origin] = (checkpoint.size, checkpoint.rootHash)
            return (200, "text/plain; charset=utf-8", WitnessResponse.cosignatureBody([cosignature]))
        }
    }

    /// Serves `POST /add-checkpoint`; `onServerRunning` receives the bound port.
    public func buildApplication(
        host: String,
        port: Int,
        logger: Logger = Logger(label: "warden.witness"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("/\(WitnessRequest.path)") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let answer = self.addCheckpoint(Array(buffer: body))
            var headers = HTTPFields()
            if let contentType = answer.contentType { headers[.contentType] = contentType }
            return Response(
                status: HTTPResponse.Status(code: answer.status),
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
            )
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "warden-witness"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
