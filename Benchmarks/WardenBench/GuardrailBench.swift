import Foundation
import WardenCore

/// `warden-bench guardrails [--mb N]`: scanning throughput of each detector and of the whole scanner on mixed prose,
/// code and JSON with a sparse sprinkling of the test corpora's labelled samples; best of three runs on one core.
enum GuardrailBench {
    static let command = "guardrails"

    static func run(_ arguments: [String]) {
        let megabytes = arguments.firstIndex(of: "--mb").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 16
        let documents = GuardrailBenchInput.documents(totalBytes: megabytes << 20)
        let bytes = documents.reduce(0) { $0 + $1.count }
        print("Guardrail benchmark: \(documents.count) documents, \(bytes) bytes of mixed prose, code and JSON; best of 3, one core")
        let detectors: [(String, any Detector)] = [
            ("secrets", SecretDetector()),
            ("personal data", PersonalDataDetector()),
            ("unsafe code", UnsafeCodeDetector()),
            // What the gateway runs on a request; answers get all three.
            ("prompts (secrets + PII)", GuardrailScanner(detectors: [SecretDetector(), PersonalDataDetector()])),
            ("all (GuardrailScanner)", GuardrailScanner()),
        ]
        for (name, detector) in detectors {
            var best = Double.infinity
            var findings = 0
            for _ in 0..<3 {
                let start = ContinuousClock.now
                findings = documents.reduce(0) { $0 + detector.scan($1).count }
                let elapsed = ContinuousClock.now - start
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            let label = name.padding(toLength: 24, withPad: " ", startingAt: 0)
            print("  \(label)" + String(format: "%8.1f MB/s  (%d findings)", Double(bytes) / best / 1e6, findings))
        }
    }
}
