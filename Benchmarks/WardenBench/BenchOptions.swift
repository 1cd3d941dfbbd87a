import Foundation

struct BenchOptions {
    var requests = 3000
    var streams = 300
    var concurrency = 32
    var seconds = 5.0
    var eventDelayMs = 2
    var wardenBinary: String

    init(_ arguments: [String]) {
        let executable = URL(fileURLWithPath: arguments[0]).resolvingSymlinksInPath()
        wardenBinary = executable.deletingLastPathComponent().appendingPathComponent("warden").path
        var index = 1
        while index + 1 < arguments.count {
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
