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

    /// Reads a Messages request body against what its conversation has shown (see `ConversationState.inspect`).
    func inspect(request body: [UInt8], walked: RequestLayout?, path: String, conversation: String) -> ConversationState.RequestVerdict {
        (memory.recall(conversation) ?? ConversationState()).inspect(request: body, walked: walked, path: path, with: inspector)
    }

    /// Remembers what a request showed, once it goes ahead (a blocked request teaches nothing).
    func learn(_ verdict: ConversationState.RequestVerdict, path: String, conversation: String) {
        memory.learn(verdict.inspection, in: conversation, request: verdict.last.map { (path, $0) })
    }

    /// Reads an answer's Message (the API's JSON or the one reassembled from the stream).
    func inspect(answer message: Data?, conversation: String) -> Inspection {
        (memory.recall(conversation) ?? ConversationState()).inspect(answer: message, with: inspector)
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
                stream.missing.isEmpty ? stream.masked : JSONMasking.mask(stream.masked, values: Array(stream.missing)).bytes
            )
        } else {
            closing.responseBody = Data(JSONMasking.hide(Array(closing.responseBody), values: values))
        }
        closing.message = closing.message.map { Data(JSONMasking.hide(Array($0), values: values)) }
    }
}
