import Foundation

struct BenchOptions {
    var requests = 3000
    var streams = 300
    var concurrency = 32
    var seconds = 5.0
    var eventDelayMs = 2
    var wardenBinary: String
    /// Send `X-Claude-Code-Session-Id` as Claude Code does (sessions reused), instead of letting Warden infer one per request.
    var claudeCodeSession = false

    init(_ arguments: [String]) {
        let executable = URL(fileURLWithPath: arguments[0]).resolvingSymlinksInPath()
        wardenBinary = executable.deletingLastPathComponent().appendingPathComponent("warden").path
        var index = 1
        while index < arguments.count {
            if arguments[index] == "--claude-code-session" {
                claudeCodeSession = true
                index += 1
                continue
            }
            guard index + 1 < arguments.count else { break }
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--requests": requests = Int(value) ?? requests
            case "--streams": streams = Int(value) ?? streams
            case "--concurrency": concurrency = Int(value) ?? concurrency
            case "--seconds": seconds = Double(value) ?? seconds
            case "--event-delay-ms": eventDelayMs = Int(value) ?? eventDelayMs
            case "--warden": wardenBinary = value
            default: break
            }
            index += 2
        }
    }
}
