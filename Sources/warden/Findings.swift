import ArgumentParser
import Foundation
import WardenCore
import WardenStore

struct Findings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List what the guardrails found in recorded exchanges.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Findings, most recent first.",
            discussion: "Excerpts are masked as they were recorded; the matched values are never stored. Listing is recorded in the ledger."
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Only findings since this time (ISO 8601, or a duration ago such as 2h, 7d).") var since: String?
        @Option(help: "Only this severity and above: low, medium, high, critical.") var severity: String?
        @Option(help: "Only this subject or display name.") var user: String?
        @Option(help: "Only this category: secret, personal_data, unsafe_code.") var category: String?
        @Option(help: "At most this many findings.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let query = FindingQuery(
                since: try since.map(TimeArgument.parse),
                minimumSeverity: try severity.map(Self.parseSeverity),
                user: user,
                category: try category.map(Self.parseCategory),
                limit: limit
            )
            // Findings name who leaked what: reading them is an auditor's read like `sessions show`, and is recorded first.
            let recordings = try await store.openAudited(action: "list-findings", target: target)
            let findings = try await recordings.findings(matching: query)
            try await recordings.shutdown()
            if json {
                print(try Output.json(findings.map(FindingRecordJSON.init)))
                return
            }
            if findings.isEmpty {
                print("no findings recorded")
                return
            }
            print(
                [
                    "TIME".padded(21), "SEVERITY".padded(9), "RULE".padded(25), "CATEGORY".padded(14), "USER".padded(21), "EXCHANGE".padded(27),
                    "LOCATION".padded(25), "ACTION".padded(7), "EXCERPT",
                ].joined(separator: " ")
            )
            for record in findings {
                let finding = record.finding
                print(
                    [
                        Output.time(record.at).padded(21), finding.severity.description.padded(9), finding.ruleID.padded(25),
                        finding.category.rawValue.padded(14), record.subject.padded(21), record.exchangeID.padded(27),
                        finding.location.padded(25), finding.action.rawValue.padded(7), finding.excerpt,
                    ].joined(separator: " ")
                )
            }
        }

        static func parseSeverity(_ name: String) throws -> Finding.Severity {
            guard let severity = Finding.Severity.allCases.first(where: { $0.description == name }) else {
                throw ValidationError("--severity must be one of low, medium, high, critical")
            }
            return severity
        }

        static func parseCategory(_ name: String) throws -> Finding.Category {
            guard let category = Finding.Category(rawValue: name) else {
                throw ValidationError("--category must be one of secret, personal_data, unsafe_code")
            }
            return category
        }

        /// What the access record says was read: the filters as given, so the ledger shows the scope of the read.
        private var target: String {
            let filters = [
                since.map { "since \($0)" }, severity.map { "severity \($0)" }, user.map { "user \($0)" }, category.map { "category \($0)" },
            ]
            .compactMap(\.self)
            return filters.isEmpty ? "all" : filters.joined(separator: ", ")
        }
    }
}

/// A finding as every `--json` output and `warden export` print it: severity by name, and where it sits as a path.
struct FindingJSON: Encodable {
    var rule: String
    var category: String
    var severity: String
    var direction: String
    var message: Int?
    var block: Int
    var offset: Int
    var length: Int
    var location: String
    var excerpt: String
    var action: String

    init(_ finding: ExchangeFinding) {
        rule = finding.ruleID
        category = finding.category.rawValue
        severity = finding.severity.description
        direction = finding.direction.rawValue
        message = finding.message
        block = finding.block
        offset = finding.offset
        length = finding.length
        location = finding.location
        excerpt = finding.excerpt
        action = finding.action.rawValue
    }
}

/// `warden findings list --json`: a finding with the exchange and user it belongs to, in one flat object.
struct FindingRecordJSON: Encodable {
    var at: Date
    var exchangeID: String
    var sessionID: String?
    var issuer: String
    var subject: String
    var finding: FindingJSON

    enum CodingKeys: String, CodingKey {
        case at, issuer, subject
        case exchangeID = "exchange_id"
        case sessionID = "session_id"
    }

    init(_ record: FindingRecord) {
        at = record.at
        exchangeID = record.exchangeID
        sessionID = record.sessionID
        issuer = record.issuer
        subject = record.subject
        finding = FindingJSON(record.finding)
    }

    func encode(to encoder: any Encoder) throws {
        try finding.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(exchangeID, forKey: .exchangeID)
        try container.encodeIfPresent(sessionID, forKey: .sessionID)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
    }
}
