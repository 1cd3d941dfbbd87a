import Crypto
import Foundation

/// What the guardrails know about one conversation: the units it has shown, the values hidden from its recordings or
/// rewritten before forwarding, and its last request per API path. A value: the gateway keeps one per conversation in
/// its memory; a benchmark or a test keeps its own.
public struct ConversationState: Sendable {
    public var units: [SHA256Digest: UnitMemory] = [:]
    /// Every value hidden from this conversation's recordings so far (redacted ones included), and those redacted.
    public var hidden: Set<[UInt8]> = []
    public var redacted: Set<[UInt8]> = []
    public var lastRequests: [String: LastRequest] = [:]

    public init() {}

    /// A request body as it was inspected: its layout, and where values were masked in its recording and in what was
    /// forwarded, so the next request's repeated bytes are neither walked nor searched again.
    public struct LastRequest: Sendable {
        public var body: [UInt8]
        public var layout: RequestLayout
        public var recorded: Masks
        public var forwarded: Masks
    }

    /// Masks placed in one body and the values they account for.
    public struct Masks: Sendable {
        public var spans: [MaskedSpan] = []
        public var values: Set<[UInt8]> = []
    }

    /// A request's verdict: the inspection, the body to record (values hidden), the body to forward when redaction
    /// changed it, and the request as the conversation remembers it once it goes ahead.
    public struct RequestVerdict: Sendable {
        public var inspection: Inspection
        public var recorded: [UInt8]
        public var forwarded: [UInt8]?
        public var last: LastRequest?
    }

    /// Reads a Messages request body against what the conversation has shown. Bytes that repeat its previous request on
    /// the same path are neither walked nor searched again (values hidden there are masked where they were masked
    /// before); of the rest, only units the conversation has not shown are read by the detectors. `walked` is the body's
    /// layout when the caller already has it, so the body is not walked twice.
    public func inspect(request body: [UInt8], walked: RequestLayout? = nil, path: String, with inspector: ContentInspector) -> RequestVerdict {
        let earlier = lastRequests[path]
        let prefix = earlier.map { RequestLayout.commonPrefix(body, $0.body) } ?? 0
        let layout: RequestLayout?
        switch (walked, earlier) {
        case (let walked?, let earlier?): layout = walked.reusing(earlier.layout, commonPrefix: prefix)
        case (let walked?, nil): layout = walked
        case (nil, let earlier?): layout = RequestLayout(body: body, resuming: earlier.layout, commonPrefix: prefix)
        case (nil, nil): layout = RequestLayout(body: body)
        }
        // Agents send the same system prompt every turn, often after the messages, where the shared bytes end.
        var systemRepeated = false
        if let earlier, let old = earlier.layout.system, let new = layout?.system, old.count == new.count {
            systemRepeated = body.withUnsafeBufferPointer { a in
                earlier.body.withUnsafeBufferPointer { b in memcmp(a.baseAddress! + new.lowerBound, b.baseAddress! + old.lowerBound, new.count) == 0 }
            }
        }
        let contentUnits: [ContentUnit]
        if let layout {
            contentUnits = ContentUnits.request(body: body, layout: layout, systemRepeated: systemRepeated)
        } else if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            contentUnits = ContentUnits.request(system: object["system"], messages: object["messages"] as? [Any] ?? [])
        } else {
            contentUnits = []
        }
        let inspection = inspector.inspect(contentUnits, direction: .request) { units[$0] }
        let recorded = Self.mask(body, present: inspection.hiddenValues, remembered: hidden, earlier: earlier?.recorded, prefix: prefix)
        let forwarded = Self.mask(body, present: inspection.redactedValues, remembered: redacted, earlier: earlier?.forwarded, prefix: prefix)
        return RequestVerdict(
            inspection: inspection,
            recorded: recorded.document.bytes,
            forwarded: forwarded.document.bytes == body ? nil : forwarded.document.bytes,
            last: layout.map { LastRequest(body: body, layout: $0, recorded: recorded.masks, forwarded: forwarded.masks) }
        )
    }

    /// Reads an answer's Message (the API's JSON, or the one reassembled from a stream).
    public func inspect(answer message: Data?, with inspector: ContentInspector) -> Inspection {
        guard let message, let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else { return Inspection() }
        return inspector.inspect(ContentUnits.response(message: object), direction: .response) { units[$0] }
    }

    /// Adds what an inspection read; `request` is the request just inspected, kept for the next one on its path.
    public mutating func learn(_ inspection: Inspection, request: (path: String, last: LastRequest)? = nil, maxUnits: Int = .max) {
        for unit in inspection.learned where units.count < maxUnits { units[unit.digest] = unit.memory }
        hidden.formUnion(inspection.hiddenValues)
        redacted.formUnion(inspection.redactedValues)
        if let request { lastRequests[request.path] = request.last }
    }

    /// Masks a request body's values. Values the earlier request's masks account for are masked at the same places
    /// within the shared bytes and searched for only after them; values new since then are searched everywhere.
    static func mask(
        _ body: [UInt8],
        present: [[UInt8]],
        remembered: Set<[UInt8]>,
        earlier: Masks?,
        prefix: Int
    ) -> (document: MaskedDocument, masks: Masks) {
        let all = remembered.union(present)
        guard !all.isEmpty else { return (MaskedDocument(bytes: body), Masks()) }
        let accounted = all.intersection(earlier?.values ?? [])
        let fresh = all.subtracting(accounted)
        let longest = accounted.flatMap { JSONMasking.forms(of: $0).map(\.count) }.max() ?? 0
        let reused = earlier?.spans.filter { $0.range.upperBound <= prefix } ?? []
        var document = JSONMasking.mask(body, values: Array(accounted), searchFrom: max(0, prefix - longest), reusing: reused)
        if !fresh.isEmpty {
            let more = JSONMasking.mask(document.bytes, values: Array(fresh))
            document = MaskedDocument(bytes: more.bytes, missing: document.missing.union(more.missing), spans: document.spans + more.spans)
        }
        let hidden = JSONMasking.hidingUnfound(document, present: present)
        // A re-encoded body shares no byte positions with the next request: its masks are not remembered.
        return (hidden, hidden.reencoded ? Masks() : Masks(spans: hidden.spans, values: all))
    }
}
