import ArgumentParser
import Foundation
import WardenCore

struct VerifyReceipt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-receipt",
        abstract: "Check a receipt offline with nothing but the file and the log's verifier key.",
        discussion: """
            A receipt is a C2SP tlog-proof whose extra line holds the exchange's ledger entry. It verifies when the \
            checkpoint carries a good signature of the key, the entry's leaf is included in that checkpoint's tree, \
            and (with --policy) the witnesses' cosignatures make the policy's quorum.
            """
    )

    @Argument(help: "The receipt file, or - for standard input.")
    var file: String

    @Option(name: .long, help: "The log's verifier key (name+id+key), or a file holding it.")
    var key: String?

    @Option(name: .long, help: "A C2SP tlog-policy file: the log key and the witnesses that must cosign.")
    var policy: String?

    @Flag(help: "Print the verified entry as JSON.")
    var json = false

    func validate() throws {
        if (key == nil) == (policy == nil) { throw ValidationError("give exactly one of --key or --policy") }
    }

    func run() throws {
        let receiptBytes = try InputFile.read(file)
        let policyText = try key.map { "log \(try Self.keyText($0))\nquorum none\n" } ?? String(decoding: InputFile.read(policy ?? ""), as: UTF8.self)
        let policy: WitnessPolicy
        do {
            policy = try WitnessPolicy(parsing: policyText)
        } catch {
            throw ValidationError("the key or policy is not usable: \(error)")
        }
        switch Receipt.verify(receiptBytes, policy: policy) {
        case .failure(let problem):
            print("INVALID receipt \(file): \(problem)")
            throw ExitCode(1)
        case .success(let verified):
            let entry = verified.entry
            if json {
                print(try Output.json(LedgerEntryJSON(entry, index: verified.index, checkpoint: verified.checkpoint)))
            } else {
                let who = [entry.displayName ?? entry.subject, entry.issuer.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
                print("OK \(entry.kind) \(entry.id) by \(who.isEmpty ? "-" : who)")
                let checkpoint = verified.checkpoint
                print("   leaf \(verified.index) of \(checkpoint.size) in \(checkpoint.origin), root \(checkpoint.rootHash.base64)")
                if let response = entry.responseBodySHA256 { print("   response body sha256 \(response)") }
            }
        }
    }

    static func keyText(_ argument: String) throws -> String {
        guard FileManager.default.fileExists(atPath: argument) else { return argument }
        return String(decoding: try InputFile.read(argument), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
