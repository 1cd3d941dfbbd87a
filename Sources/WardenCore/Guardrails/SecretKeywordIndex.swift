/// Aho–Corasick automaton over lower-cased ASCII keywords: one pass over the bytes finds every occurrence of every
/// keyword, case-insensitively. Bytes outside ASCII reset the automaton.
struct KeywordIndex: Sendable {
    let keywords: [[UInt8]]
    private let table: [Int32]  // state * 128 + byte -> next state
    private let outputs: [[Int32]]  // state -> keyword indices ending here

    init(keywords: [String]) {
        let keys = keywords.map { Array($0.lowercased().utf8) }
        self.keywords = keys
        var children: [[UInt8: Int32]] = [[:]]
        var out: [[Int32]] = [[]]
        for (index, key) in keys.enumerated() {
            var state: Int32 = 0
            for byte in key {
                if let next = children[Int(state)][byte] {
                    state = next
                } else {
                    children.append([:])
                    out.append([])
                    let next = Int32(children.count - 1)
                    children[Int(state)][byte] = next
                    state = next
                }
            }
            out[Int(state)].append(Int32(index))
        }
        let count = children.count
        var table = [Int32](repeating: 0, count: count * 128)
        var fail = [Int32](repeating: 0, count: count)
        var queue: [Int32] = []
        for byte in 0..<128 {
            if let next = children[0][UInt8(byte)] {
                table[byte] = next
                queue.append(next)
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            out[Int(state)] += out[Int(fail[Int(state)])]
            for byte in 0..<128 {
                if let next = children[Int(state)][UInt8(byte)] {
                    fail[Int(next)] = table[Int(fail[Int(state)]) * 128 + byte]
                    table[Int(state) * 128 + byte] = next
                    queue.append(next)
                } else {
                    table[Int(state) * 128 + byte] = table[Int(fail[Int(state)]) * 128 + byte]
                }
            }
        }
        self.table = table
        self.outputs = out
    }

    /// For every keyword, the byte offsets where an occurrence starts.
    func occurrences(in text: [UInt8]) -> [[Int]] {
        var hits = [[Int]](repeating: [], count: keywords.count)
        guard !keywords.isEmpty else { return hits }
        table.withUnsafeBufferPointer { table in
            text.withUnsafeBufferPointer { bytes in
                var state: Int32 = 0
                for position in 0..<bytes.count {
                    var byte = bytes[position]
                    if byte >= 0x80 {
                        state = 0
                        continue
                    }
                    if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                    state = table[Int(state) &* 128 &+ Int(byte)]
                    if state != 0, !outputs[Int(state)].isEmpty {
                        for keyword in outputs[Int(state)] {
                            hits[Int(keyword)].append(position + 1 - keywords[Int(keyword)].count)
                        }
                    }
                }
            }
        }
        return hits
    }
}
