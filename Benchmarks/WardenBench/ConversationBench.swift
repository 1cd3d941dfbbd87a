import Foundation
import WardenCore

/// `warden-bench conversation [--turns N]`: what the guardrails cost a request at turn 1 and at turn N of a long agent
/// session, where every request resends the whole history. Measures the inspection stage as the gateway runs it
/// (`ConversationState.inspect`: the bytes repeated from the previous request skipped, detectors on the units not shown
/// before, values hidden in the recorded body) and, apart, what the gateway reads from every Messages body anyway
/// (`MessagesRequest`: model, stream, metadata).
/// Median of 25 runs per turn, one core.
enum ConversationBench {
    static let command = "conversation"

    static func run(_ arguments: [String]) throws {
        let turns = arguments.firstIndex(of: "--turns").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 100
        let bodies = conversation(turns: turns)
        let inspector = try ContentInspector(policy: GuardrailPolicy())
        var state = ConversationState()
        print("Conversation benchmark: \(turns) turns, a secret in turn 1 (masked in every later request); median of 25, one core")
        print("  turn   body KB   read µs   inspect µs   messages   new msgs   new units   findings")
        var first: (read: Double, inspect: Double) = (0, 0)
        for (index, body) in bodies.enumerated() {
            let turn = index + 1
            let bytes = Array(body)
            // As the gateway does: the request's facts are read with one walk of the body, which the guardrails reuse.
            let read = median { _ = MessagesRequest(json: bytes) }
            let walked = MessagesRequest(json: bytes)?.layout
            let inspect = median { _ = state.inspect(request: bytes, walked: walked, path: "/v1/messages", with: inspector) }
            let verdict = state.inspect(request: bytes, walked: walked, path: "/v1/messages", with: inspector)
            state.learn(verdict.inspection, request: verdict.last.map { ("/v1/messages", $0) })
            guard [1, 2, 10, 25, 50, 75, 100, turns].contains(turn) else { continue }
            if turn == 1 { first = (read, inspect) }
            let layout = verdict.last?.layout
            print(
                String(
                    format: "  %4ld  %8.1f  %8.1f  %11.1f   %8ld   %6ld   %9ld   %8ld",
                    turn,
                    Double(body.count) / 1024,
                    read * 1e6,
                    inspect * 1e6,
                    layout?.messages.count ?? 0,
                    (layout?.messages.count ?? 0) - (layout?.reusedMessages ?? 0),
                    verdict.inspection.learned.count,
                    verdict.inspection.findings.count
                )
            )
            if turn == turns {
                print(
                    String(
                        format: "  turn %ld / turn 1: inspection %.2f×, reading and inspection %.2f×",
                        turn,
                        inspect / first.inspect,
                        (read + inspect) / (first.read + first.inspect)
                    )
                )
            }
        }
    }

    static func median(_ work: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<25 {
            let start = ContinuousClock.now
            work()
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return samples.sorted()[samples.count / 2]
    }

    /// A coding agent's session: a long system prompt, then turns of a user message or tool result (code and prose) and
    /// an assistant answer with a tool call writing a file; request N carries all N-1 earlier turns.
    static func conversation(turns: Int) -> [Data] {
        var random = GuardrailBenchRandom(seed: 7)
        let prose = GuardrailBenchInput.documents(totalBytes: 2 << 20, seed: 11).map { String(decoding: $0, as: UTF8.self) }
        func snippet(_ size: Int) -> String {
            let document = random.pick(prose)
            let start = document.utf8.count > size ? random.next(document.utf8.count - size) : 0
            return String(decoding: Array(document.utf8)[start..<min(document.utf8.count, start + size)], as: UTF8.self)
        }
        let system = snippet(12_000)
        var messages: [[String: Any]] = []
        var bodies: [Data] = []
        for turn in 1...turns {
            if turn == 1 {
                messages.append(["role": "user", "content": "Deploy with AWS key AKIAZ7Q3XK5M2PLR4TWN. " + snippet(400)])
            } else {
                messages.append([
                    "role": "user",
                    "content": [["type": "tool_result", "tool_use_id": "toolu_\(turn - 1)", "content": snippet(3_000)]],
                ])
            }
            let object: [String: Any] = ["model": "claude-sonnet-4-5", "max_tokens": 8192, "stream": true, "system": system, "messages": messages]
            bodies.append(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            messages.append([
                "role": "assistant",
                "content": [
                    ["type": "text", "text": snippet(500)],
                    [
                        "type": "tool_use", "id": "toolu_\(turn)", "name": "Write",
                        "input": ["file_path": "src/file\(turn).py", "content": snippet(1_500)],
                    ],
                ],
            ])
        }
        return bodies
    }
}
