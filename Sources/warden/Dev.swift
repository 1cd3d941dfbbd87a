import ArgumentParser
import Foundation
import WardenCore
import WardenSimulator

struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tools for trying Warden without an identity provider.", subcommands: [Token.self])

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint a token from the local development issuer (trusted only by `warden serve --dev`)."
        )

        @Option(name: .long, help: "The subject (who the token says you are).")
        var sub: String

        @Option(name: .long, help: "Display name.")
        var name: String?

        @Option(name: .long, parsing: .upToNextOption, help: "Groups, space- or comma-separated.")
        var groups: [String] = []

        @Option(name: .long, help: "Extra claims as name=value (repeatable), e.g. --claim repository=acme/app.")
        var claim: [String] = []

        @Option(name: .long, help: "Lifetime in seconds.")
        var ttl: Int = 3600

        @Option(name: .long, help: "The data directory warden serve --dev uses.")
        var dataDir = "./warden-data"

        func run() throws {
            let issuer = try DevelopmentIdentity.issuer(dataDirectory: dataDir)
            var claims: [String: JSONValue] = [:]
            if let name { claims["name"] = .string(name) }
            let groupList = groups.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
            if !groupList.isEmpty { claims["groups"] = .array(groupList.map(JSONValue.string)) }
            for pair in claim {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ValidationError("--claim expects name=value, got \(pair)") }
                claims[String(parts[0])] = .string(String(parts[1]))
            }
            print(issuer.mint(subject: sub, audience: DevelopmentIdentity.audience, ttl: .seconds(ttl), claims: claims))
        }
    }
}
