import Foundation
import WardenCore
import WardenStore

/// Renders recordings for people: who asked what and what came back, tool calls shown, thinking folded.
enum Transcript {
    static func describe(_ principal: Principal) -> String {
        var text = principal.subject
        if let name = principal.displayName, name != principal.subject { text = "\(name) (\(principal.subject))" }
        text += "  via \(principal.issuer)"
        if !principal.groups.isEmpty { text += "  groups: \(principal.groups.joined(separator: ", "))" }
        let context = ["repository", "workflow", "run_id", "ref", "project_path", "pipeline_id"].compactMap { key in
            principal.attributes[key].map { "\(key)=\($0)" }
        }
        if !context.isEmpty { text += "  [\(context.joined(separator: " "))]" }
        return text
    }

    /// The conversation of a session, one turn per Messages exchange.
    static func session(_ summary: SessionSummary, _ exchanges: [StoredExchange]) -> String {
        var lines = ["Session \(summary.id) — \(describe(summary.principal))", ""]
        for exchange in exchanges {
            lines.append(turn(exchange))
        }
        return lines.joined(separator: "\n")
    }

    static func turn(_ exchange: StoredExchange) -> String {
        let opening = exchange.opening
        var lines: [String] = []
        let elapsed = exchange.closing.map { String(format: "%.2fs", $0.completedAt.timeIntervalSince(opening.receivedAt)) } ?? "open"
        lines.append(
            "── \(opening.id)  \(Output.time(opening.receivedAt))  \(opening.principal.label)  \(opening.method) \(opening.path)"
                + "  \(opening.model ?? "")  [\(exchange.outcome.rawValue), \(elapsed)]"
        )
        guard opening.path == "/v1/messages" else {
            if let status = exchange.closing?.upstreamStatus { lines.append("   status \(status)") }
            return lines.joined(separator: "\n") + "\n"
        }
        if let prompt = lastUserTurn(opening.requestBody) { lines.append(indent("user", prompt)) }
        if let closing = exchange.closing {
            if let message = closing.message, let rendered = assistant(message) {
                lines.append(indent("assistant", rendered))
            } else if let status = closing.upstreamStatus, status != 200 {
                lines.append(indent("error", "\(status) \(String(decoding: closing.responseBody.prefix(300), as: UTF8.self))"))
            }
            if let failure = closing.failure { lines.append("   ! \(failure)") }
            if let usage = closing.usage {
                lines.append("   tokens: in \(usage.inputTokens ?? 0), out \(usage.outputTokens ?? 0), cache read \(usage.cacheReadInputTokens ?? 0)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The newest user message: what this turn asked.
    static func lastUserTurn(_ body: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let messages = object["messages"] as? [[String: Any]],
            let last = messages.last(where: { $0["role"] as? String == "user" })
        else { return nil }
        if let text = last["content"] as? String { return text }
        guard let blocks = last["content"] as? [[String: Any]] else { return nil }
        return blocks.map(block).joined(separator: "\n")
    }

    static func assistant(_ message: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any],
            let blocks = object["content"] as? [[String: Any]]
        else { return nil }
        return blocks.map(block).joined(separator: "\n")
    }

    static func block(_ block: [String: Any]) -> String {
        switch block["type"] as? String {
        case "text": return block["text"] as? String ?? ""
        case "thinking":
            return "[thinking folded: \((block["thinking"] as? String ?? "").count) characters]"
        case "redacted_thinking": return "[redacted thinking]"
        case "tool_use", "server_tool_use":
            let input = (try? JSONSerialization.data(withJSONObject: block["input"] ?? [:], options: [.sortedKeys])) ?? Data()
            return "[tool call \(block["name"] as? String ?? "?") \(String(decoding: input, as: UTF8.self))]"
        case "tool_result":
            let content =
                (block["content"] as? String) ?? (block["content"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined(separator: " ")
                ?? ""
            return "[tool result \(block["tool_use_id"] as? String ?? "?"): \(content.prefix(500))]"
        case let type?: return "[\(type)]"
        default: return ""
        }
    }

    static func indent(_ label: String, _ text: String) -> String {
        let prefix = "   \(label): "
        let pad = String(repeating: " ", count: prefix.count)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset == 0 ? prefix : pad) + $0.element }
            .joined(separator: "\n")
    }

    static func details(of exchange: StoredExchange) -> String {
        let opening = exchange.opening
        var lines = [
            "exchange      \(opening.id)",
            "session       \(exchange.sessionID) (\(opening.session.source.rawValue))",
            "user          \(describe(opening.principal))",
            "token sha256  \(opening.tokenHash)",
            "client        \(opening.clientAddress ?? "-")  \(opening.userAgent ?? "")",
            "request       \(opening.method) \(opening.path)\(opening.query.map { "?\($0)" } ?? "")  \(opening.requestBody.count) bytes\(opening.requestEncoding.map { " (arrived \($0))" } ?? "")",
            "model         \(opening.model ?? "-")\(opening.streamed ? "  streamed" : "")",
            "received      \(Output.time(opening.receivedAt))",
            "outcome       \(exchange.outcome.rawValue)",
        ]
        if let closing = exchange.closing {
            lines += [
                "status        \(closing.upstreamStatus.map(String.init) ?? "-")  request-id \(closing.upstreamRequestID ?? "-")",
                "response      \(closing.responseBody.count) bytes, \(closing.events.count) events",
                "timing        forwarded +\(ms(closing.forwardedAt, opening.receivedAt))  first byte +\(ms(closing.firstByteAt, opening.receivedAt))  done +\(ms(closing.completedAt, opening.receivedAt))",
            ]
            if let usage = closing.usage {
                lines.append(
                    "usage         in \(usage.inputTokens ?? 0)  out \(usage.outputTokens ?? 0)  cache write \(usage.cacheCreationInputTokens ?? 0)  cache read \(usage.cacheReadInputTokens ?? 0)"
                )
            }
            if let stop = closing.stopReason { lines.append("stop reason   \(stop)") }
            if let failure = closing.failure { lines.append("failure       \(failure)") }
        }
        let findings = opening.findings + (exchange.closing?.findings ?? [])
        if !findings.isEmpty {
            lines.append("findings      \(findings.count)")
            for finding in findings {
                lines.append(
                    "  \(finding.severity.description.padded(9)) \(finding.category.rawValue.padded(14)) \(finding.ruleID.padded(25)) "
                        + "\(finding.location.padded(25)) \(finding.action.rawValue.padded(7)) \(finding.excerpt)"
                )
            }
        }
        lines.append("")
        lines.append(turn(exchange))
        return lines.joined(separator: "\n")
    }

    private static func ms(_ date: Date?, _ start: Date) -> String {
        guard let date else { return "-" }
        return String(format: "%.1fms", date.timeIntervalSince(start) * 1000)
    }
}
