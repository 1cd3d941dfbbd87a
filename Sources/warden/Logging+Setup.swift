import Foundation
import Logging
import WardenCore
import WardenGateway

enum LoggingSetup {
    static func bootstrap(_ logging: WardenConfiguration.Logging) -> Logger {
        let level = Logger.Level(rawValue: logging.level) ?? .info
        LoggingSystem.bootstrap { label in
            if logging.format == "json" { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "warden")
    }
}
