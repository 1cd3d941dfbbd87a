import Testing

@testable import WardenStore

@Suite("PostgreSQL store URL")
struct PostgresURLTests {
    @Test("Every part of the URL is read, percent-escapes undone")
    func readsEveryPart() throws {
        let url = try PostgresURL("postgres://warden%40acme:s3cr%2Ft@db.internal:6543/warden_prod?sslmode=require")
        #expect(
            url
                == PostgresURL(
                    host: "db.internal",
                    port: 6543,
                    username: "warden@acme",
                    password: "s3cr/t",
                    database: "warden_prod",
                    sslMode: .require
                )
        )
    }

    @Test("Port, password, database and sslmode have libpq's defaults")
    func defaults() throws {
        let url = try PostgresURL("postgresql://warden@[::1]")
        #expect(url == PostgresURL(host: "::1", port: 5432, username: "warden", password: nil, database: nil, sslMode: .prefer))
        #expect(try PostgresURL("postgres://warden@localhost/db?sslmode=disable").sslMode == .disable)
    }

    @Test(
        "A URL Warden cannot use is refused with a reason that never includes the password",
        arguments: [
            ("mysql://root:hunter2@db/warden", PostgresURLError.unsupportedScheme),
            ("postgres://root:hunter2@/warden", .missingHost),
            ("postgres://:hunter2@db/warden", .missingUser),
            ("postgres://root:hunter2@db:0/warden", .invalidPort),
            ("postgres://root:hunter2@db/warden?sslmode=verify-ca", .unsupportedSSLMode("verify-ca")),
            ("postgres://root:hunter2@db/warden?application_name=x", .unsupportedParameter("application_name")),
            ("hunter2", .notAURL),
            ("hunter2:x", .unsupportedScheme),
            ("postgres://root@db/warden?password=hunter2", .unsupportedParameter("password")),
        ]
    )
    func refusesUnusableURLs(url: String, expected: PostgresURLError) {
        let error = #expect(throws: PostgresURLError.self) { try PostgresStore(url: url) }
        #expect(error == expected)
        #expect(error.map { !"\($0)".contains("hunter2") && !String(reflecting: $0).contains("hunter2") } == true)
    }
}
