import ArgumentParser

@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "An identity-aware gateway for Claude that records every exchange.",
        subcommands: [
            Serve.self, Demo.self, ConfigCommand.self, Dev.self, Sessions.self, Exchanges.self, Findings.self, Replay.self, Export.self,
            Keys.self, Verify.self, Prove.self, VerifyReceipt.self, Scan.self, SimulateUpstream.self,
        ]
    )
}
