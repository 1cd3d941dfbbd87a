import Foundation
import NIOHTTP1
import Testing
import WardenCore
import WardenStore

@Suite("Ledger endpoints")
struct LedgerEndpointTests {
    @Test("A verified caller gets the signed checkpoint and a receipt for its own exchange, and for no one else's")
    func servesCheckpointsAndReceipts() async throws {
        try await GatewayHarness.run { harness in
            let ledger = try #require(harness.ledger)
            let anonymous = try await harness.send(.GET, path: "/ledger/checkpoint")
            #expect(anonymous.status == 401)
            #expect(String(decoding: anonymous.body, as: UTF8.self).contains("authentication_error"))

            let alice = harness.token(subject: "alice")
            let answer = try await harness.send(token: alice, body: messagesBody("hello ledger"))
            #expect(answer.status == 200)
            let id = try #require(answer.headers.value("warden-exchange-id"))
            try await ledger.step()

            let checkpoint = try await harness.send(.GET, path: "/ledger/checkpoint", token: alice)
            #expect(checkpoint.status == 200)
            #expect(checkpoint.headers.value("content-type")?.hasPrefix("text/plain") == true)
            let opened = try Checkpoint.open(String(decoding: checkpoint.body, as: UTF8.self), verifiers: [ledger.signer.verifierKey])
            #expect(opened.checkpoint.size >= 2)  // the refused anonymous attempt and the exchange

            let proof = try await harness.send(.GET, path: "/ledger/proof/\(id)", token: alice)
            #expect(proof.status == 200)
            let policy = try WitnessPolicy(parsing: "log \(ledger.signer.verifierKey)\nquorum none\n")
            let verified = try Receipt.verify(Array(proof.body), policy: policy).get()
            #expect(verified.entry.id == id)
            #expect(verified.entry.subject == "alice")
            #expect(verified.entry.kind == .exchange)

            let stranger = try await harness.send(.GET, path: "/ledger/proof/\(id)", token: harness.token(subject: "bob"))
            #expect(stranger.status == 404)
            #expect(!String(decoding: stranger.body, as: UTF8.self).contains("alice"))
            let unknown = try await harness.send(.GET, path: "/ledger/proof/01J00000000000000000000000", token: alice)
            #expect(unknown.status == 404)
            #expect(unknown.headers.value("retry-after") == "1")
        }
    }

    @Test("With the ledger disabled the endpoints say so, and nothing is sequenced")
    func disabledLedger() async throws {
        try await GatewayHarness.run(.configured { $0.ledger.enabled = false }) { harness in
            #expect(harness.ledger == nil)
            let answer = try await harness.send(.GET, path: "/ledger/checkpoint", token: harness.token())
            #expect(answer.status == 404)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("the ledger is disabled"))
            #expect(!FileManager.default.fileExists(atPath: harness.directory.appending(path: "ledger-signing.key").path))
        }
    }
}
