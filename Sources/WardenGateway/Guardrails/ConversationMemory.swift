import Crypto
import Synchronization
import WardenCore

/// What each conversation has shown the guardrails, so a request is read only for its new content, and what must stay
/// hidden or rewritten when old content comes back. Held in memory and bounded: when Warden restarts, or a conversation
/// is evicted, its next request is read in full once more (a repeated finding, never a missed one).
final class ConversationMemory: Sendable {
    private struct State {
        var conversations: [String: [SHA256Digest: UnitMemory]] = [:]
        /// Every use of a conversation, oldest first from `head`; only a conversation's latest use counts.
        var recency: [(conversation: String, time: Int)] = []
        var head = 0
        var lastUse: [String: Int] = [:]
        var clock = 0
    }

    private let state = Mutex(State())
    let maxConversations: Int
    let maxUnitsPerConversation: Int

    init(maxConversations: Int = 10_000, maxUnitsPerConversation: Int = 50_000) {
        self.maxConversations = maxConversations
        self.maxUnitsPerConversation = maxUnitsPerConversation
    }

    /// A snapshot of what the conversation has shown, for one inspection.
    func known(in conversation: String) -> [SHA256Digest: UnitMemory] {
        state.withLock { state in
            guard let memory = state.conversations[conversation] else { return [:] }
            Self.touch(conversation, &state)
            return memory
        }
    }

    func learn(_ units: [(digest: SHA256Digest, memory: UnitMemory)], in conversation: String) {
        guard !units.isEmpty else { return }
        state.withLock { state in
            var memory = state.conversations[conversation] ?? [:]
            for unit in units where memory.count < maxUnitsPerConversation { memory[unit.digest] = unit.memory }
            state.conversations[conversation] = memory
            Self.touch(conversation, &state)
            while state.conversations.count > maxConversations, state.head < state.recency.count {
                let oldest = state.recency[state.head]
                state.head += 1
                guard state.lastUse[oldest.conversation] == oldest.time else { continue }
                state.conversations[oldest.conversation] = nil
                state.lastUse[oldest.conversation] = nil
            }
            if state.recency.count - state.head > 4 * maxConversations || state.head > 4 * maxConversations { Self.compact(&state) }
        }
    }

    private static func touch(_ conversation: String, _ state: inout State) {
        state.clock += 1
        state.lastUse[conversation] = state.clock
        state.recency.append((conversation, state.clock))
    }

    /// Drops the stale entries of the recency list, keeping each conversation once, at its latest use.
    private static func compact(_ state: inout State) {
        state.recency = state.lastUse.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
        state.head = 0
    }
}
