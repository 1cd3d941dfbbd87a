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
                print(try Output.json(findings.map { FindingRecordJSON($0) }))
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
