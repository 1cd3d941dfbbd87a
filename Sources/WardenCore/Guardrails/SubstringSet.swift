/// A fixed set of non-empty byte strings, looked for together in one pass over a text: at each byte only the strings
/// starting with it are compared. Checking the strings one after another walks the text once per string, which for a
/// candidate secret is dozens of walks (a PEM body is kilobytes).
struct SubstringSet: Sendable {
    private let strings: [[UInt8]]
    /// For each byte value, the indices of the strings starting with it.
    private let startingWith: [[Int]]

    init(_ strings: [[UInt8]]) {
        precondition(strings.allSatisfy { !$0.isEmpty }, "a SubstringSet holds non-empty strings")
        self.strings = strings
        var startingWith = [[Int]](repeating: [], count: 256)
        for (index, string) in strings.enumerated() { startingWith[Int(string[0])].append(index) }
        self.startingWith = startingWith
    }

    /// Whether any of the strings occurs in `text`.
    func occurs(in text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { bytes in
            for start in 0..<bytes.count {
                for index in startingWith[Int(bytes[start])] {
                    let string = strings[index]
                    guard start + string.count <= bytes.count else { continue }
                    var offset = 1
                    while offset < string.count && bytes[start + offset] == string[offset] { offset += 1 }
                    if offset == string.count { return true }
                }
            }
            return false
        }
    }
}
