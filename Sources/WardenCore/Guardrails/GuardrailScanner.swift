/// Every detector Warden runs, as one: the same set `warden scan` uses on a file and the gateway uses on traffic,
/// so a rule tested with the command behaves the same at the door.
public struct GuardrailScanner: Detector {
    public let detectors: [any Detector]

    public init(detectors: [any Detector] = [SecretDetector(), PersonalDataDetector(), UnsafeCodeDetector()]) {
        self.detectors = detectors
    }

    /// Findings of every detector, in the order they occur in the text.
    public func scan(_ text: [UInt8]) -> [Finding] {
        detectors.flatMap { $0.scan(text) }.sorted {
            ($0.range.lowerBound, $0.range.upperBound, $0.ruleID) < ($1.range.lowerBound, $1.range.upperBound, $1.ruleID)
        }
    }
}
