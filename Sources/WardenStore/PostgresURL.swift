import Foundation
import PostgresNIO

/// Where a PostgreSQL store lives, read from a `postgres://user:password@host:port/database?sslmode=…` URL,
/// the form operators already use for libpq tools.
struct PostgresURL: Sendable, Equatable {
    enum SSLMode: String, Sendable {
        case disable
        /// TLS when the server offers it; libpq's default, and so the default here.
        case prefer
        /// TLS or no connection. Unlike libpq's `require`, the certificate and host name are verified too.
        case require
    }

    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String?
    var sslMode: SSLMode

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}

extension PostgresURL {
    /// Errors name the part that is wrong and never repeat the URL, which may hold a password.
    init(_ text: String) throws(PostgresURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme else { throw .notAURL }
        guard scheme == "postgres" || scheme == "postgresql" else { throw .unsupportedScheme }
        guard let host = components.host, !host.isEmpty else { throw .missingHost }
        guard let username = components.user, !username.isEmpty else { throw .missingUser }
        if let port = components.port {
            guard (1...65_535).contains(port) else { throw .invalidPort }
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw .unsupportedParameter(item.name) }
            guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else { throw .unsupportedSSLMode(item.value ?? "") }
            sslMode = mode
        }
        let database = String(components.path.drop { $0 == "/" })
        // IPv6 literals come back bracketed on some Foundations and bare on others.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = database.isEmpty ? nil : database
        self.sslMode = sslMode
    }
}

/// A store URL Warden cannot use. Deliberately carries no part of the URL but the offending piece.
public enum PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAURL
    case unsupportedScheme
    case missingHost
    case missingUser
    case invalidPort
    case unsupportedParameter(String)
    case unsupportedSSLMode(String)

    public var description: String {
        switch self {
        case .notAURL: "the PostgreSQL store URL is not a URL (expected postgres://user:password@host:port/database)"
        case .unsupportedScheme: "the PostgreSQL store URL does not start with postgres:// or postgresql://"
        case .missingHost: "the PostgreSQL store URL names no host"
        case .missingUser: "the PostgreSQL store URL names no user"
        case .invalidPort: "the PostgreSQL store URL has an invalid port"
        case .unsupportedParameter(let name): "the PostgreSQL store URL has parameter '\(name)'; only sslmode is supported"
        case .unsupportedSSLMode(let mode): "the PostgreSQL store URL has sslmode '\(mode)'; expected disable, prefer or require"
        }
    }
}
