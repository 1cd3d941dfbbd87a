import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WardenSimulator

struct SimulateUpstream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-upstream",
        abstract: "Serve the simulated Claude API (for tests and benchmarks; it never calls a real model)."
    )

    @Option(help: "Port on 127.0.0.1 (0 picks a free one; the port is printed).") var port = 0
    @Option(help: "Environment variable holding the API key callers must send.") var apiKeyEnv = "WARDEN_SIMULATOR_API_KEY"
    @Option(help: "Append every received request as a JSON line to this file (for fidelity checks).") var requestLog: String?
    @Option(help: "Milliseconds between streamed events.") var eventDelayMs = 0

    func run() async throws {
        guard let key = ProcessInfo.processInfo.environment[apiKeyEnv], !key.isEmpty else {
            throw ValidationError("set \(apiKeyEnv) to the API key the simulated upstream should require")
        }
        var configuration = SimulatedUpstream.Configuration(apiKey: key)
        configuration.eventDelay = .milliseconds(eventDelayMs)
        let upstream = SimulatedUpstream(configuration: configuration)
        var logger = Logger(label: "warden.simulator")
        logger.logLevel = .warning
        let logFile = requestLog
        let application = upstream.buildApplication(host: "127.0.0.1", port: port, logger: logger) { port in
            FileHandle.standardOutput.write(Data("simulated upstream listening on 127.0.0.1:\(port)\n".utf8))
        }
        if let logFile {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            upstream.recorder.onRequest = { request in
                let line: [String: Any] = [
                    "method": request.method, "uri": request.uri, "headers": request.headers.map { [$0.name, $0.value] },
                    "body_base64": request.body.base64EncodedString(),
                ]
                guard var data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]),
                    let handle = FileHandle(forWritingAtPath: logFile)
                else { return }
                data.append(0x0A)
                handle.seekToEndOfFile()
                handle.write(data)
                try? handle.close()
            }
        }
        try await application.runService()
    }
}
