/// Aho–Corasick automaton over lower-cased ASCII keywords: one pass over the bytes finds every occurrence of every
/// keyword, case-insensitively. Bytes outside ASCII reset the automaton.
///
/// Speed comes from three things. Bytes map to a few classes (the lower-cased keyword characters and "anything else"),
/// so each state's row is short and the rows in use stay in the L1 cache. States that end a keyword are stored
/// negated, so the loop is two loads and a sign test per byte. And long texts are scanned as four overlapping lanes
/// in one loop: the lanes' table loads do not wait on each other, unlike the steps of a single automaton.
struct KeywordIndex: Sendable {
    let keywords: [[UInt8]]
    private let classes: [UInt8]  // byte -> column
    private let classCount: Int
    /// Row offset (state * classCount) + column -> the next state's row offset, negated (~offset) when a keyword ends
    /// there. Storing offsets rather than states keeps a multiplication out of the per-byte dependency chain.
    private let table: [Int32]
    private let outputs: [[Int32]]  // state -> keyword indices ending here
    private let longest: Int

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
        var ascii = [Int32](repeating: 0, count: count * 128)
        var fail = [Int32](repeating: 0, count: count)
        var queue: [Int32] = []
        for byte in 0..<128 {
            if let next = children[0][UInt8(byte)] {
                ascii[byte] = next
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
                    fail[Int(next)] = ascii[Int(fail[Int(state)]) * 128 + byte]
                    ascii[Int(state) * 128 + byte] = next
                    queue.append(next)
                } else {
                    ascii[Int(state) * 128 + byte] = ascii[Int(fail[Int(state)]) * 128 + byte]
                }
            }
        }
        var classes = [UInt8](repeating: 0, count: 256)
        var columns: [UInt8] = [0]  // column -> a representative lower-case byte; column 0 is "no keyword byte"
        for byte in Set(keys.joined()).sorted() where byte < 0x80 {
            classes[Int(byte)] = UInt8(columns.count)
            columns.append(byte)
        }
        for upper in UInt8(ascii: "A")...UInt8(ascii: "Z") { classes[Int(upper)] = classes[Int(upper | 0x20)] }
        var table = [Int32](repeating: 0, count: count * columns.count)
        for state in 0..<count {
            for (column, byte) in columns.enumerated() where column > 0 {
                let next = ascii[state * 128 + Int(byte)]
                let offset = next * Int32(columns.count)
                table[state * columns.count + column] = out[Int(next)].isEmpty ? offset : ~offset
            }
        }
        self.classes = classes
        self.classCount = columns.count
        self.table = table
        self.outputs = out
        self.longest = keys.map(\.count).max() ?? 0
    }

    /// For every keyword, the byte offsets where an occurrence starts (in no particular order).
    func occurrences(in text: [UInt8]) -> [[Int]] {
        var hits = [[Int]](repeating: [], count: keywords.count)
        guard !keywords.isEmpty else { return hits }
        scan(text) { keyword, end in hits[keyword].append(end - keywords[keyword].count) }
        return hits
    }

    /// For every keyword, whether it occurs.
    func presence(in text: [UInt8]) -> [Bool] {
        var present = [Bool](repeating: false, count: keywords.count)
        guard !keywords.isEmpty else { return present }
        scan(text) { keyword, _ in present[keyword] = true }
        return present
    }

    /// Calls `found` with the keyword index and the offset just past its last byte, once for every occurrence.
    ///
    /// Lane `k` owns the occurrences ending in its quarter of the text and starts `longest - 1` bytes early, so every
    /// occurrence it owns lies wholly inside what it scans.
    private func scan(_ text: [UInt8], _ found: (Int, Int) -> Void) {
        table.withUnsafeBufferPointer { table in
            classes.withUnsafeBufferPointer { classes in
                text.withUnsafeBufferPointer { bytes in
                    /// The next row for `row` on the byte at `position`, reporting the keywords ending there if `owned`.
                    @inline(__always)
                    func step(_ row: Int, _ position: Int, owned: Bool) -> Int {
                        let next = Int(table[row &+ Int(classes[Int(bytes[position])])])
                        if next >= 0 { return next }
                        if owned { for keyword in outputs[~next / classCount] { found(Int(keyword), position + 1) } }
                        return ~next
                    }
                    let quarter = bytes.count / 4
                    guard quarter > longest else {
                        var row = 0
                        for position in 0..<bytes.count { row = step(row, position, owned: true) }
                        return
                    }
                    let lead = longest - 1
                    var row0 = 0
                    var row1 = 0
                    var row2 = 0
                    var row3 = 0
                    for offset in 0..<lead {
                        row1 = step(row1, quarter - lead + offset, owned: false)
                        row2 = step(row2, 2 * quarter - lead + offset, owned: false)
                        row3 = step(row3, 3 * quarter - lead + offset, owned: false)
                    }
                    for offset in 0..<quarter {
                        row0 = step(row0, offset, owned: true)
                        row1 = step(row1, quarter + offset, owned: true)
                        row2 = step(row2, 2 * quarter + offset, owned: true)
                        row3 = step(row3, 3 * quarter + offset, owned: true)
                    }
                    for position in (4 * quarter)..<bytes.count { row3 = step(row3, position, owned: true) }
                }
            }
        }
    }
}
