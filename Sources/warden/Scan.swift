import ArgumentParser
import Foundation
import WardenCore
import WardenGateway

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Warden's guardrail detectors on any text, for writing and testing rules.",
        discussion: "Prints one line per finding with its rule, severity and a masked excerpt (never the value); exits 1 when anything is found."
    )

    @Argument(help: "The file to scan, or - for standard input.")
    var file: String

    @Option(name: .long, help: "Report only findings at or above this severity: low, medium, high, critical.")
    var minSeverity: String = "low"

    @Flag(help: "Print the findings as a JSON array.")
    var json = false

    @Option(help: "A warden.yaml whose guardrails.custom_rules join the built-in rules, as the gateway runs them.")
    var config: String?

    func run() throws {
        guard let threshold = Finding.Severity.allCases.first(where: { $0.description == minSeverity }) else {
            throw ValidationError("--min-severity must be one of low, medium, high, critical")
        }
        let text = try InputFile.read(file)
        let bytes = Array(text)
        let scanner = try config.map { try ConfigurationFile.load(path: $0).guardrails.scanner() } ?? GuardrailScanner()
        let findings = scanner.scan(bytes).filter { $0.severity >= threshold }
        if json {
            print(try Output.json(findings.map { FindingJSON($0, in: bytes) }))
        } else {
            for finding in findings {
                let (line, column) = Self.position(of: finding.range.lowerBound, in: bytes)
                print("\(file):\(line):\(column): \(finding.severity) \(finding.category.rawValue) \(finding.ruleID): \(finding.excerpt)")
            }
            print(findings.isEmpty ? "no findings" : "\(findings.count) finding\(findings.count == 1 ? "" : "s")")
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    /// 1-based line and column (in bytes) of a byte offset, as editors and CI annotations expect.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (line, offset - lineStart + 1)
    }

    struct FindingJSON: Encodable {
        var rule: String
        var category: String
        var severity: String
        var line: Int
        var column: Int
        var offset: Int
        var length: Int
        var excerpt: String

        init(_ finding: Finding, in bytes: [UInt8]) {
            rule = finding.ruleID
            category = finding.category.rawValue
            severity = finding.severity.description
            (line, column) = Scan.position(of: finding.range.lowerBound, in: bytes)
            offset = finding.range.lowerBound
            length = finding.range.count
            excerpt = finding.excerpt
        }
    }
}
