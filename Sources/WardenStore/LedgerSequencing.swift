import WardenCore

/// Turns records waiting for the ledger into leaves: stamps the log's origin and links each session's leaves into a
/// chain (sequence number and previous leaf hash), so a gap or a reordering inside a session shows on its own.
public enum LedgerSequencing {
    /// Leaves for `entries`, in order, at indexes from `size`; `tips` holds each session's chain end and is advanced.
    public static func leaves(
        for entries: [LedgerEntry],
        origin: String,
        startingAt size: UInt64,
        tips: inout [String: SessionTip]
    ) -> [LedgerLeaf] {
        var leaves: [LedgerLeaf] = []
        leaves.reserveCapacity(entries.count)
        for (offset, record) in entries.enumerated() {
            var entry = record
            entry.origin = origin
            if let session = entry.sessionID {
                let tip = tips[session]
                entry.sessionSequence = (tip?.sequence ?? 0) + 1
                entry.previousSessionLeaf = tip?.hash
            }
            let leaf = LedgerLeaf(index: size + UInt64(offset), entry: entry)
            if let session = entry.sessionID, let sequence = entry.sessionSequence {
                tips[session] = SessionTip(sequence: sequence, hash: leaf.hash)
            }
            leaves.append(leaf)
        }
        return leaves
    }
}
