import Synchronization
import WardenCore

/// What each conversation has shown the guardrails, so a request is read only for its new content, and what must stay
/// hidden or rewritten when old content comes back. Held in memory and bounded: when Warden restarts, or a conversation
/// is evicted, its next request is read in full once more (a repeated finding, never a missed one).
final class ConversationMemory: Sendable {
    private struct State {
        var conversations: [String: ConversationState] = [:]
        /// Every use of a conversation, oldest first from `head`; only a conversation's latest use counts.
        var recency: [(conversation: String, time: Int)] = []
        var head = 0
        var lastUse: [String: Int] = [:]
        var clock = 0
        /// Bytes of request bodies held, and the order they were stored in (stale entries skipped as in `recency`).
        var bodyBytes = 0
        var bodyOrder: [(conversation: String, path: String, time: Int)] = []
        var bodyHead = 0
        var bodyTime: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let maxConversations: Int
    let maxUnitsPerConversation: Int
    /// Request bodies are the large part; past this many bytes the oldest are dropped (their conversations then walk
    /// their next request in full).
    let maxBodyBytes: Int

    init(maxConversations: Int = 10_000, maxUnitsPerConversation: Int = 50_000, maxBodyBytes: Int = 256 << 20) {
        self.maxConversations = maxConversations
        self.maxUnitsPerConversation = maxUnitsPerConversation
        self.maxBodyBytes = maxBodyBytes
    }

    /// A snapshot of what the conversation has shown, for one inspection.
    func recall(_ conversation: String) -> ConversationState? {
        state.withLock { state in
            guard let memory = state.conversations[conversation] else { return nil }
            Self.touch(conversation, &state)
            return memory
        }
    }

    /// Adds what one inspection read; `request` is the body just inspected, for the next request of the same path.
    func learn(
        _ inspection: Inspection,
        in conversation: String,
        request: (path: String, last: ConversationState.LastRequest)? = nil
    ) {
        state.withLock { state in
            // Taken out while it changes, so its tables are not copied.
            var memory = state.conversations.removeValue(forKey: conversation) ?? ConversationState()
            if let request { state.bodyBytes += request.last.body.count - (memory.lastRequests[request.path]?.body.count ?? 0) }
            memory.learn(inspection, request: request, maxUnits: maxUnitsPerConversation)
            if let request {
                state.clock += 1
                let key = conversation + "\u{0}" + request.path
                state.bodyTime[key] = state.clock
                state.bodyOrder.append((conversation, request.path, state.clock))
            }
            state.conversations[conversation] = memory
            Self.touch(conversation, &state)
            evictConversations(&state)
            evictBodies(&state)
        }
    }

    private func evictConversations(_ state: inout State) {
        while state.conversations.count > maxConversations, state.head < state.recency.count {
            let oldest = state.recency[state.head]
            state.head += 1
            guard state.lastUse[oldest.conversation] == oldest.time else { continue }
            for (path, request) in state.conversations[oldest.conversation]?.lastRequests ?? [:] {
                state.bodyBytes -= request.body.count
                state.bodyTime[oldest.conversation + "\u{0}" + path] = nil
            }
            state.conversations[oldest.conversation] = nil
            state.lastUse[oldest.conversation] = nil
        }
        if state.head > 4 * maxConversations || state.recency.count - state.head > 4 * maxConversations {
            state.recency = state.lastUse.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
            state.head = 0
        }
    }

    private func evictBodies(_ state: inout State) {
        while state.bodyBytes > maxBodyBytes, state.bodyHead < state.bodyOrder.count {
            let oldest = state.bodyOrder[state.bodyHead]
            state.bodyHead += 1
            let key = oldest.conversation + "\u{0}" + oldest.path
            guard state.bodyTime[key] == oldest.time else { continue }
            state.bodyTime[key] = nil
            if let body = state.conversations[oldest.conversation]?.lastRequests.removeValue(forKey: oldest.path) {
                state.bodyBytes -= body.body.count
            }
        }
        if state.bodyHead > 0, state.bodyHead * 2 > state.bodyOrder.count {
            state.bodyOrder.removeFirst(state.bodyHead)
            state.bodyHead = 0
        }
    }

    private static func touch(_ conversation: String, _ state: inout State) {
        state.clock += 1
        state.lastUse[conversation] = state.clock
        state.recency.append((conversation, state.clock))
    }
}
