import Foundation

/// Deterministic pseudo-random numbers (SplitMix64), so every run scans the same input.
struct GuardrailBenchRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
}

/// Builds the benchmark input: documents of mixed prose, fenced and bare code, JSON, and a sparse sprinkling of the
/// test corpora's secrets, personal data and unsafe snippets (about one labelled sample per 4 KB).
enum GuardrailBenchInput {
    static func documents(totalBytes: Int, seed: UInt64 = 42) -> [[UInt8]] {
        var random = GuardrailBenchRandom(seed: seed)
        let labelled =
            (GuardrailCorpus.secretPositives + GuardrailCorpus.personalPositives).map(\.text)
            + GuardrailCorpus.secretNegatives + GuardrailCorpus.personalNegatives
        let unsafe = UnsafeCodeCorpus.all.compactMap { testCase -> String? in
            if case .text(let text) = testCase.input { return text }
            return nil
        }
        var documents: [[UInt8]] = []
        var total = 0
        while total < totalBytes {
            let target = 8_192 + random.next(120_000)
            var document = ""
            var sinceLabelled = 0
            while document.utf8.count < target {
                let before = document.utf8.count
                switch random.next(10) {
                case 0...3: document += paragraph(&random)
                case 4...6:
                    let sample = random.pick(GuardrailBenchSamples.fencedCode)
                    document += "Here is the \(sample.language) version:\n\n```\(sample.language)\n\(sample.code)\n```\n\n"
                case 7: document += GuardrailBenchSamples.pythonCode + "\n\n"
                case 8: document += GuardrailBenchSamples.json + "\n\n"
                default: document += "    " + paragraph(&random).replacingOccurrences(of: ". ", with: ".\n    ")
                }
                sinceLabelled += document.utf8.count - before
                if sinceLabelled > 4_096 {
                    sinceLabelled = 0
                    document += (random.next(3) == 0 ? random.pick(unsafe) : random.pick(labelled)) + "\n\n"
                }
            }
            total += document.utf8.count
            documents.append(Array(document.utf8))
        }
        return documents
    }

    private static func paragraph(_ random: inout GuardrailBenchRandom) -> String {
        var words: [String] = []
        for index in 0..<(40 + random.next(80)) {
            var word = random.pick(GuardrailBenchSamples.proseWords)
            if index == 0 || random.next(12) == 0 { word = word.prefix(1).uppercased() + word.dropFirst() }
            if random.next(25) == 0 { word += String(random.next(2_000)) }
            words.append(word)
            if random.next(10) == 0 { words[words.count - 1] += random.next(3) == 0 ? "," : "." }
        }
        return words.joined(separator: " ") + ".\n\n"
    }
}
