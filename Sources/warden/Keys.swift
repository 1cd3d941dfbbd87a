import ArgumentParser
import Foundation
import WardenCore
import WardenGateway

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The ledger's checkpoint signing key.", subcommands: [Generate.self, Show.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new Ed25519 checkpoint signing key and print its verifier key.",
            discussion: """
                The key is named after the log's origin, as C2SP checkpoints are. The signing key is written with \
                owner-only permissions; give the printed verifier key to auditors, witnesses and CI jobs that keep receipts.
                """
        )

        @Option(name: .long, help: "The log's origin, e.g. warden.example.com/ledger; also the key name.")
        var origin: String

        @Option(name: .long, help: "Where to write the signing key.")
        var out = "./warden-data/ledger-signing.key"

        @Flag(help: "Replace an existing signing key (checkpoints it signed then no longer verify with the new key).")
        var force = false

        func run() throws {
            let url = URL(fileURLWithPath: out)
            if FileManager.default.fileExists(atPath: url.path), !force {
                throw ValidationError("\(out) already exists; pass --force to replace it")
            }
            if force { try? FileManager.default.removeItem(at: url) }
            do {
                print(try LedgerKeyFile.create(path: url.path, name: origin).verifierKey.description)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the verifier key of a signing key, for auditors, witnesses and `warden verify --key`."
        )

        @Option(name: .long, help: "The signing key file.")
        var key = "./warden-data/ledger-signing.key"

        func run() throws {
            guard FileManager.default.fileExists(atPath: key) else { throw ValidationError("no signing key at \(key)") }
            do {
                print(try LedgerKeyFile.load(path: key).verifierKey.description)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }
}
