import Foundation

/// `warden serve` as a separate process, as it runs in production, so its memory can be read on its own.
final class GatewayProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// `name` keeps each gateway's files apart; `extraConfiguration` is appended to its YAML.
    init(binary: String, work: URL, name: String = "warden", upstreamPort: Int, upstreamKey: String, extraConfiguration: String = "") throws {
        let config = work.appendingPathComponent("\(name).yaml")
        let data = work.appendingPathComponent("\(name)-data")
        try """
        listen:
          port: 0
        data_directory: \(data.path)
        upstream:
          base_url: http://127.0.0.1:\(upstreamPort)
          api_key: ${BENCH_UPSTREAM_KEY}
        logging:
          format: json
          level: notice

        """.appending(extraConfiguration).write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: work.appendingPathComponent("dev-issuer-key.pem"), to: data.appendingPathComponent("dev-issuer-key.pem"))
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", config.path, "--dev"]
        process.environment = ProcessInfo.processInfo.environment.merging(["BENCH_UPSTREAM_KEY": upstreamKey]) { $1 }
        let output = Pipe()
        process.standardError = output
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let (found, printed) = ListeningPort.read(from: output.fileHandleForReading) { text in
            text.range(of: #""address":"127\.0\.0\.1:(\d+)""#, options: .regularExpression).flatMap {
                Int(text[$0].split(separator: ":").last!.dropLast())
            }
        }
        guard let found else { throw BenchError.gatewayDidNotStart(printed) }
        port = found
        let handle = output.fileHandleForReading
        Thread.detachNewThread { while !handle.availableData.isEmpty {} }
    }

    func peakMemoryMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

enum BenchError: Error {
    case gatewayDidNotStart(String)
    case failed(String)
}

/// Where a child server says it listens: its output is read until `parse` finds the port, or the child closes it.
enum ListeningPort {
    static func read(from handle: FileHandle, _ parse: (String) -> Int?) -> (port: Int?, output: String) {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            let text = String(decoding: buffer + chunk, as: UTF8.self)
            if chunk.isEmpty { return (nil, text) }
            buffer.append(chunk)
            if let port = parse(text) { return (port, text) }
        }
    }
}
