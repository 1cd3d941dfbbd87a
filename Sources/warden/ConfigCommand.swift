import ArgumentParser
import Foundation
import WardenCore
import WardenGateway

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Work with configuration files.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a configuration file; prints one line per problem with its key path.")

        @Argument(help: "The YAML file to check.")
        var file: String

        func run() throws {
            do {
                let configuration = try ConfigurationFile.load(path: file)
                print(
                    "\(file): OK (\(configuration.identity.issuers.count) trusted issuer(s), listening on \(configuration.listen.host):\(configuration.listen.port))"
                )
            } catch let problems as ConfigProblems {
                for problem in problems.problems { print("\(file): \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
