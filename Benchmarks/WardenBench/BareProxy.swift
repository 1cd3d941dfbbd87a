import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// The floor any gateway on this stack pays: a Hummingbird server that forwards each request with AsyncHTTPClient and
/// streams the answer back, with no identity, no parsing and no recording. Run as its own process
/// (`warden-bench bare-proxy PORT`), like Warden, so the two differ only in what Warden does per exchange.
enum BareProxy {
    static let command = "bare-proxy"

    static func run(upstreamPort: Int) async throws {
        var logger = Logger(label: "bare-proxy")
        logger.logLevel = .critical
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let router = Router()
        router.on("/v1/messages", method: .post) { request, _ -> Response in
            var forwarded = HTTPClientRequest(url: "http://127.0.0.1:\(upstreamPort)\(request.uri.description)")
            forwarded.method = .POST
            for field in request.headers {
                forwarded.headers.add(name: field.name.rawName, value: field.value)
            }
            forwarded.body = .bytes(try await request.body.collect(upTo: 32 << 20))
            let answer = try await client.execute(forwarded, timeout: .minutes(10))
            var headers = HTTPFields()
            for (name, value) in answer.headers {
                if let fieldName = HTTPField.Name(name), fieldName != .connection, fieldName != .transferEncoding {
                    headers.append(HTTPField(name: fieldName, value: value))
                }
            }
            return Response(
                status: HTTPResponse.Status(code: Int(answer.status.code)),
                headers: headers,
                body: ResponseBody(asyncSequence: answer.body)
            )
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("port \(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: logger
        )
        try await app.runService()
    }
}

/// The bare proxy as a child process of the benchmark.
final class BareProxyProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(upstreamPort: Int) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = [BareProxy.command, String(upstreamPort)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let (found, _) = ListeningPort.read(from: output.fileHandleForReading) { text in
            text.split(separator: "\n").first { $0.hasPrefix("port ") }.flatMap { Int($0.dropFirst(5)) }
        }
        guard let found else { throw BenchError.failed("the bare proxy did not start") }
        port = found
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
