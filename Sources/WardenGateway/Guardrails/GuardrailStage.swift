import Foundation
import WardenCore

/// The guardrails at the door (DESIGN.md "Inspect" and the answer's tee): reads only what a conversation has not shown
/// before, decides each finding's action, hides values from the recording, remembers what it read.
struct GuardrailStage: Sendable {
    let inspector: ContentInspector
    let memory: ConversationMemory
    let alerts: FindingAlerts

    /// Which conversation a request belongs to, for the memory of what it has shown: the session evidence when the
    /// client gives one, else the caller and the conversation's first message.
    static func conversation(of opening: ExchangeOpening) -> String {
        let caller = "\(opening.principal.issuer)\u{0}\(opening.principal.subject)\u{0}"
        if let key = opening.session.key { return caller + "\(opening.session.source.rawValue):\(key)" }
        return caller + "first:" + (opening.session.conversationPrefixes.last ?? opening.session.conversationDigest ?? "")
    }

    /// A request's verdict: the inspection, the body to record (values hidden), the body to forward when redaction
    /// changed it, and what the memory learns once the request goes ahead.
    struct RequestVerdict {
        var inspection: Inspection
        var recorded: [UInt8]
        var forwarded: [UInt8]?
        fileprivate var layout: RequestLayout?
    }

    /// Reads a Messages request body. Bytes that repeat the conversation's previous request are not walked again; of
    /// the rest, only units the conversation has not shown are read by the detectors.
    func inspect(request body: [UInt8], path: String, conversation: String) -> RequestVerdict {
        let remembered = memory.recall(conversation)
        let layout: RequestLayout?
        if let earlier = remembered?.lastRequests[path] {
            layout = RequestLayout(body: body, resuming: earlier.layout, commonPrefix: RequestLayout.commonPrefix(body, earlier.body))
        } else {
            layout = RequestLayout(body: body)
        }
        let units: [ContentUnit]
        if let layout {
            units = ContentUnits.request(body: body, layout: layout)
        } else if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            units = ContentUnits.request(system: object["system"], messages: object["messages"] as? [Any] ?? [])
        } else {
            units = []
        }
        let known = remembered?.units ?? [:]
        let inspection = inspector.inspect(units, direction: .request) { known[$0] }
        // Values hidden earlier in the conversation come back in repeated bytes, written exactly as before.
        let recorded = JSONMasking.hide(body, values: inspection.hiddenValues, possible: Array(remembered?.hidden ?? []))
        var forwarded: [UInt8]?
        if !inspection.redactedValues.isEmpty || !(remembered?.redacted.isEmpty ?? true) {
            let redacted = JSONMasking.hide(body, values: inspection.redactedValues, possible: Array(remembered?.redacted ?? []))
            if redacted != body { forwarded = redacted }
        }
        return RequestVerdict(inspection: inspection, recorded: recorded, forwarded: forwarded, layout: layout)
    }

    /// Remembers what a request showed, once it goes ahead (a blocked request teaches nothing).
    func learn(_ verdict: RequestVerdict, body: [UInt8], path: String, conversation: String) {
        memory.learn(verdict.inspection, in: conversation, request: verdict.layout.map { (path, body, $0) })
    }

    /// Reads an answer's Message (the API's JSON or the one reassembled from the stream).
    func inspect(answer message: Data?, conversation: String) -> Inspection {
        guard let message, let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else { return Inspection() }
        let known = memory.recall(conversation)?.units ?? [:]
        return inspector.inspect(ContentUnits.response(message: object), direction: .response) { known[$0] }
    }

    func learn(_ inspection: Inspection, conversation: String) {
        memory.learn(inspection, in: conversation)
    }

    /// A watcher for a streamed answer, when some rule can cut one.
    func streamGuard() -> StreamGuard? {
        inspector.policy.blocksAnything ? StreamGuard(inspector: inspector) : nil
    }

    /// The closing record with the answer's values hidden in its recorded bytes and its Message.
    static func hide(_ values: [[UInt8]], in closing: inout ExchangeClosing, streamed: Bool) {
        guard !values.isEmpty else { return }
        if streamed {
            let stream = StreamMasking.mask(Array(closing.responseBody), events: closing.events, values: values)
            // A value written outside any delta (in a block's start, say) is still found in place.
            closing.responseBody = Data(
                stream.missing.isEmpty ? stream.masked : JSONMasking.mask(stream.masked, values: Array(stream.missing)).masked
            )
        } else {
            closing.responseBody = Data(JSONMasking.hide(Array(closing.responseBody), values: values))
        }
        closing.message = closing.message.map { Data(JSONMasking.hide(Array($0), values: values)) }
    }
}
