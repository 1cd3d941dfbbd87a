import Foundation
import WardenCore
import Yams

/// Reads `warden.yaml`: YAML becomes a plain ConfigValue tree, which WardenCore checks key by key.
public enum ConfigurationFile {
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WardenConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigProblems(problems: [ConfigProblem(path: "", message: "cannot read \(path)")])
        }
        return try parse(text, environment: environment)
    }

    public static func parse(_ text: String, environment: [String: String]) throws -> WardenConfiguration {
        let document: ConfigValue
        do {
            document = try Yams.compose(yaml: text).map(value(of:)) ?? .null
        } catch {
            throw ConfigProblems(problems: [ConfigProblem(path: "", message: "not valid YAML: \(error)")])
        }
        return try WardenConfiguration(document: document, environment: environment) { file in
            try String(contentsOfFile: file, encoding: .utf8)
        }
    }

    static func value(of node: Node) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
            return .scalar(scalar.string)
        case .sequence(let sequence):
            return .list(sequence.map(value(of:)))
        case .mapping(let mapping):
            return .map(mapping.map { (key: $0.key.string ?? "", value: value(of: $0.value)) })
        case .alias:
            return .null
        }
    }
}
