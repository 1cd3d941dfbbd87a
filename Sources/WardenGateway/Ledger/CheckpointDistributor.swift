import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import WardenCore
import WardenStore

/// Sends each new checkpoint off the machine: to the witnesses of a C2SP `tlog-policy` through `add-checkpoint`
/// (verifying every cosignature against the witness's key before keeping it), then to a webhook. With a policy, a
/// checkpoint is published (served and used for receipts) only once its cosignatures make the policy's quorum.
actor CheckpointDistributor {
    private let sequencer: LedgerSequencer
    private let httpClient: HTTPClient
    private let policy: WitnessPolicy?
    private let webhook: String?
    private let logger: Logger
    /// How long one witness or webhook call may take; a hung witness only delays its own cosignature.
    private let timeout: Duration
    /// The size each witness last cosigned, so the next request carries a proof from there.
    private var witnessSizes: [String: UInt64] = [:]
    private var delivered: SignedNote?

    init(
        sequencer: LedgerSequencer,
        httpClient: HTTPClient,
        policy: WitnessPolicy?,
        webhook: String?,
        timeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.timeout = timeout
        self.sequencer = sequencer
        self.httpClient = httpClient
        self.policy = policy
        self.webhook = webhook
        self.logger = logger
    }

    /// Distributes the latest signed checkpoint every `interval` until cancelled.
    func run(interval: Duration) async {
        while !Task.isCancelled {
            await distributeLatest()
            try? await Task.sleep(for: interval)
        }
    }

    /// Distributes the latest signed checkpoint unless it already went out; retried on the next call when the witnesses
    /// fell short of the quorum.
    func distributeLatest() async {
        guard let note = await sequencer.latestSigned, note != delivered, let checkpoint = try? Checkpoint(body: note.text) else { return }
        var cosigned = note
        if let policy {
            for signature in await cosignatures(for: note, checkpoint: checkpoint, policy: policy) { cosigned.add(signature) }
            do {
                _ = try policy.verify(cosigned)
            } catch {
                logger.warning(
                    "witness quorum not met; receipts stay on the last cosigned checkpoint",
                    metadata: ["size": "\(checkpoint.size)", "problem": "\(error)"]
                )
                return
            }
            do {
                try await sequencer.publish(cosigned)
            } catch {
                logger.error("cosigned checkpoint not stored", metadata: ["size": "\(checkpoint.size)", "error": "\(error)"])
                return
            }
        }
        delivered = note
        if let webhook { await post(cosigned, to: webhook, size: checkpoint.size) }
    }

    private func cosignatures(for note: SignedNote, checkpoint: Checkpoint, policy: WitnessPolicy) async -> [NoteSignature] {
        await withTaskGroup(of: (String, UInt64?, [NoteSignature]).self) { group in
            for witness in policy.witnesses {
                guard let url = witness.url else { continue }
                let known = witnessSizes[witness.name] ?? 0
                group.addTask { await self.ask(witness, url: url, note: note, checkpoint: checkpoint, oldSize: known) }
            }
            var signatures: [NoteSignature] = []
            for await (name, size, found) in group {
                if let size { witnessSizes[name] = size }
                signatures.append(contentsOf: found)
            }
            return signatures
        }
    }

    /// One witness, with one retry from the size it reports after a 409. Returns the size it now holds and its
    /// cosignatures that verify under its key.
    private func ask(
        _ witness: WitnessPolicy.Witness,
        url: String,
        note: SignedNote,
        checkpoint: Checkpoint,
        oldSize: UInt64
    ) async -> (String, UInt64?, [NoteSignature]) {
        var oldSize = min(oldSize, checkpoint.size)
        for _ in 0..<2 {
            let response: WitnessResponse
            do {
                let proof = try await sequencer.consistencyProof(from: oldSize, to: checkpoint.size)
                let request = try WitnessRequest(oldSize: oldSize, consistencyProof: proof, signedCheckpoint: note)
                response = try await send(request, to: url)
            } catch {
                logger.warning("witness unreachable", metadata: ["witness": "\(witness.name)", "error": "\(error)"])
                return (witness.name, nil, [])
            }
            switch response {
            case .cosigned(let signatures):
                let valid = signatures.filter { signature in
                    guard signature.keyID == witness.key.keyID, signature.name == witness.key.name,
                        let cosignature = try? Cosignature(signature)
                    else { return false }
                    return (try? cosignature.verify(on: checkpoint, by: witness.key)) != nil
                }
                if valid.isEmpty { logger.warning("witness answered without a valid cosignature", metadata: ["witness": "\(witness.name)"]) }
                return (witness.name, checkpoint.size, valid)
            case .conflict(let witnessSize) where witnessSize <= checkpoint.size && witnessSize != oldSize:
                oldSize = witnessSize
            case .conflict(let witnessSize):
                logger.critical(
                    "LEDGER ALARM: a witness holds a checkpoint this log cannot extend",
                    metadata: ["witness": "\(witness.name)", "witness_size": "\(witnessSize)", "size": "\(checkpoint.size)"]
                )
                return (witness.name, nil, [])
            default:
                logger.warning("witness refused the checkpoint", metadata: ["witness": "\(witness.name)", "answer": "\(response)"])
                return (witness.name, nil, [])
            }
        }
        return (witness.name, nil, [])
    }

    private func send(_ request: WitnessRequest, to url: String) async throws -> WitnessResponse {
        var outgoing = HTTPClientRequest(url: url.hasSuffix("/") ? url + WitnessRequest.path : url + "/" + WitnessRequest.path)
        outgoing.method = .POST
        outgoing.headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        outgoing.body = .bytes(ByteBuffer(string: request.body))
        let response = try await httpClient.execute(outgoing, timeout: .init(timeout), logger: logger)
        let body = try await response.body.collect(upTo: 64 << 10)
        return try WitnessResponse(
            status: Int(response.status.code),
            contentType: response.headers.first(name: "content-type"),
            body: Array(buffer: body)
        )
    }

    private func post(_ note: SignedNote, to url: String, size: UInt64) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: note.serialized))
        do {
            let response = try await httpClient.execute(request, timeout: .init(timeout), logger: logger)
            _ = try await response.body.collect(upTo: 64 << 10)
            guard (200..<300).contains(response.status.code) else {
                logger.warning("checkpoint webhook refused", metadata: ["status": "\(response.status.code)", "size": "\(size)"])
                return
            }
        } catch {
            logger.warning("checkpoint webhook unreachable", metadata: ["error": "\(error)", "size": "\(size)"])
        }
    }
}
