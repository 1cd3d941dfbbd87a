import Testing
import WardenCore

/// Personal-data candidates are found by skipping 32 bytes at a time, then 8, then one; a value must be found
/// wherever it falls against those steps, next to non-ASCII text, and at the very start and end of the buffer.
@Suite("Personal-data candidate skipping")
struct PersonalDataSkipTests {
    private let detector = PersonalDataDetector()

    @Test func valuesAreFoundAtEveryOffset() {
        let samples = GuardrailCorpus.personalPositives.filter { $0.rules.count == 1 }
        for sample in samples {
            let value = sample.values[0]
            for (filler, fillerBytes) in [("a", 1), ("é", 2)] {
                for before in [0, 1, 7, 8, 9, 23, 31, 32, 33, 40, 63, 64, 65] {
                    for after in [0, 1, 8, 31, 33] {
                        let lead = before == 0 ? "" : String(repeating: filler, count: before - 1) + " "
                        let tail = after == 0 ? "" : " " + String(repeating: filler, count: after - 1)
                        let text = Array((lead + value + tail).utf8)
                        let start = before == 0 ? 0 : (before - 1) * fillerBytes + 1
                        let ranges = detector.scan(text).filter { $0.ruleID == sample.rules[0] }.map(\.range)
                        #expect(ranges == [start..<(start + value.utf8.count)], "\(sample.rules[0]) \(before) \(filler) before, \(after) after")
                    }
                }
            }
        }
    }
}
