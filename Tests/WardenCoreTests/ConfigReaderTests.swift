import Foundation
import Testing
import WardenCore

@Suite("Configuration reader: values, expansion, problems")
struct ConfigReaderTests {
    // MARK: Durations

    @Test(
        "durations in every documented unit; a plain number is seconds",
        arguments: [
            ("500ms", Duration.milliseconds(500)),
            ("30s", .seconds(30)),
            ("5m", .seconds(300)),
            ("1h", .seconds(3600)),
            ("90", .seconds(90)),
            ("0", .zero),
            ("1.5s", .milliseconds(1500)),
            ("0.25", .milliseconds(250)),
            ("2h", .seconds(7200)),
            ("10m", .seconds(600)),
            ("1ms", .milliseconds(1)),
        ]
    )
    func durations(text: String, expected: Duration) {
        let reader = ConfigReader(environment: [:])
        #expect(reader.duration(.scalar(text), at: "upstream.timeouts.idle") == expected)
        #expect(reader.problems.isEmpty)
    }

    @Test("a bad duration is one problem at its key path", arguments: ["soon", "30x", "-5s", "-1", "s", "ms", "", "1d", "5 m", "nan"])
    func badDurations(text: String) {
        let reader = ConfigReader(environment: [:])
        #expect(reader.duration(.scalar(text), at: "upstream.timeouts.idle") == nil)
        #expect(reader.problems.map(\.path) == ["upstream.timeouts.idle"])
        #expect(reader.problems.first?.message.contains("\"\(text)\"") == true)
    }

    @Test("absent and null durations are not problems")
    func absentDuration() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.duration(nil, at: "a") == nil)
        #expect(reader.duration(.null, at: "a") == nil)
        #expect(reader.problems.isEmpty)
    }

    /// A product like 4006.9999999999995 must round to 4007, not truncate to 4006.
    @Test("whole milliseconds are read exactly (4007ms, 4.1m)")
    func durationPrecision() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.duration(.scalar("4007ms"), at: "a") == .milliseconds(4007))
        #expect(reader.duration(.scalar("4.1m"), at: "b") == .milliseconds(246_000))
    }

    @Test("an infinite or enormous duration is a problem, not a crash")
    func hugeDurationDoesNotTrap() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.duration(.scalar("inf"), at: "shutdown.grace_period") == nil)
        #expect(reader.duration(.scalar("1e300s"), at: "shutdown.grace_period") == nil)
        #expect(reader.problems.map(\.path) == ["shutdown.grace_period", "shutdown.grace_period"])
    }

    // MARK: Sizes

    @Test(
        "sizes: KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024, plain numbers are bytes",
        arguments: [
            ("32MB", 32_000_000),
            ("32MiB", 33_554_432),
            ("1048576", 1_048_576),
            ("512KB", 512_000),
            ("512KiB", 524_288),
            ("2GB", 2_000_000_000),
            ("1GiB", 1_073_741_824),
            ("100B", 100),
            ("32 MB", 32_000_000),
        ]
    )
    func sizes(text: String, expected: Int) {
        let reader = ConfigReader(environment: [:])
        #expect(reader.byteSize(.scalar(text), at: "limits.max_request_body") == expected)
        #expect(reader.problems.isEmpty)
    }

    @Test("a bad size is one problem at its key path", arguments: ["lots", "0", "-1", "0MB", "MB", "32TB", "1.5MB", "-2KiB"])
    func badSizes(text: String) {
        let reader = ConfigReader(environment: [:])
        #expect(reader.byteSize(.scalar(text), at: "limits.max_request_body") == nil)
        #expect(reader.problems.map(\.path) == ["limits.max_request_body"])
        #expect(reader.problems.first?.message.contains("32MB") == true)
    }

    @Test("a size too large for Int is a problem, not a crash")
    func hugeSizeDoesNotTrap() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.byteSize(.scalar("99999999999GB"), at: "limits.max_request_body") == nil)
        #expect(reader.problems.map(\.path) == ["limits.max_request_body"])
    }

    // MARK: Environment expansion

    @Test(
        "${VAR}, ${VAR:-default} and $$ expand",
        arguments: [
            ("${TOKEN}", "s3cr:t"),
            ("Bearer ${TOKEN}!", "Bearer s3cr:t!"),
            ("${HOST}:${PORT}", "db.internal:5432"),
            ("${MISSING:-fallback}", "fallback"),
            ("${EMPTY:-fallback}", "fallback"),
            ("${HOST:-fallback}", "db.internal"),
            ("${MISSING:-}", ""),
            ("${MISSING:-a:-b}", "a:-b"),
            ("cost $$5", "cost $5"),
            ("$$${HOST}", "$db.internal"),
            ("$${HOST}", "${HOST}"),
            ("$$$$", "$$"),
            ("price $5 and $", "price $5 and $"),
            ("${unterminated", "${unterminated"),
            ("no references", "no references"),
            ("${NESTED}", "${HOST}"),
        ]
    )
    func expansion(text: String, expected: String) {
        let environment = ["TOKEN": "s3cr:t", "HOST": "db.internal", "PORT": "5432", "EMPTY": "", "NESTED": "${HOST}"]
        let reader = ConfigReader(environment: environment)
        #expect(reader.string(.scalar(text), at: "store.url") == expected)
        #expect(reader.problems.isEmpty)
    }

    @Test("an unset variable without a default is an error naming the key path and the variable")
    func unsetVariable() {
        let reader = ConfigReader(environment: ["OTHER": "x"])
        #expect(reader.string(.scalar("postgres://${PG_USER}@db/warden"), at: "store.url") == nil)
        #expect(reader.problems.count == 1)
        #expect(reader.problems.first?.path == "store.url")
        #expect(reader.problems.first?.message.contains("PG_USER") == true)
    }

    @Test("unset variables in list items are reported at the item's path")
    func unsetVariableInList() {
        let reader = ConfigReader(environment: ["A": "one"])
        let values = reader.strings(.list([.scalar("${A}"), .scalar("${B}"), .scalar("three")]), at: "x.audiences")
        #expect(values == ["one", "three"])
        #expect(reader.problems.map(\.path) == ["x.audiences[1]"])
        #expect(reader.problems.first?.message.contains("variable B ") == true)
    }

    // MARK: Shapes

    @Test("map: unknown keys are reported at their path with the keys expected; known keys are returned")
    func unknownKeys() {
        let reader = ConfigReader(environment: [:])
        let node = ConfigValue.map([(key: "host", value: .scalar("h")), (key: "prot", value: .scalar("80"))])
        let entries = reader.map(node, at: "listen", known: ["host", "port"])
        #expect(entries.count == 1)
        #expect(entries["host"] == .scalar("h"))
        #expect(reader.problems.map(\.path) == ["listen.prot"])
        #expect(reader.problems.first?.message.contains("host, port") == true)
    }

    @Test("map: top-level unknown keys have no leading dot")
    func topLevelUnknownKey() {
        let reader = ConfigReader(environment: [:])
        _ = reader.map(.map([(key: "listne", value: .null)]), at: "", known: ["listen"])
        #expect(reader.problems.map(\.path) == ["listne"])
    }

    @Test("map: a key given twice is a problem; the first value is kept")
    func duplicateKey() {
        let reader = ConfigReader(environment: [:])
        let node = ConfigValue.map([(key: "port", value: .scalar("1")), (key: "port", value: .scalar("2"))])
        let entries = reader.map(node, at: "listen", known: ["port"])
        #expect(entries["port"] == .scalar("1"))
        #expect(reader.problems.map(\.path) == ["listen.port"])
        #expect(reader.problems.first?.message.contains("twice") == true)
    }

    @Test("map: null and absent are empty; a scalar or list is a problem")
    func mapShapes() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.map(nil, at: "a", known: ["x"]).isEmpty)
        #expect(reader.map(.null, at: "b", known: ["x"]).isEmpty)
        #expect(reader.problems.isEmpty)
        #expect(reader.map(.scalar("x"), at: "c", known: ["x"]).isEmpty)
        #expect(reader.map(.list([]), at: "d", known: ["x"]).isEmpty)
        #expect(reader.problems.map(\.path) == ["c", "d"])
    }

    @Test("string: a list or map where one value belongs is a problem")
    func stringShapes() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.string(.list([.scalar("a")]), at: "listen.host") == nil)
        #expect(reader.string(.map([]), at: "listen.port") == nil)
        #expect(reader.problems.map(\.path) == ["listen.host", "listen.port"])
    }

    @Test("strings: a single value is a one-element list; nested non-values are problems at their index")
    func stringsShapes() {
        let reader = ConfigReader(environment: [:])
        #expect(reader.strings(.scalar("only"), at: "a") == ["only"])
        #expect(reader.strings(nil, at: "a") == nil)
        #expect(reader.strings(.list([]), at: "a") == [])
        #expect(reader.problems.isEmpty)
        #expect(reader.strings(.list([.scalar("x"), .map([]), .scalar("y")]), at: "b") == ["x", "y"])
        #expect(reader.strings(.map([]), at: "c") == nil)
        #expect(reader.problems.map(\.path) == ["b[1]", "c"])
    }

    @Test("integers are checked against their range")
    func integers() {
        let reader = ConfigReader(environment: ["PORT": "9000"])
        #expect(reader.integer(.scalar("0"), at: "p", range: 0...65535) == 0)
        #expect(reader.integer(.scalar("65535"), at: "p", range: 0...65535) == 65535)
        #expect(reader.integer(.scalar("${PORT}"), at: "p", range: 0...65535) == 9000)
        #expect(reader.problems.isEmpty)
        #expect(reader.integer(.scalar("65536"), at: "a", range: 0...65535) == nil)
        #expect(reader.integer(.scalar("-1"), at: "b", range: 0...65535) == nil)
        #expect(reader.integer(.scalar("80.5"), at: "c", range: 0...65535) == nil)
        #expect(reader.integer(.scalar("eighty"), at: "d", range: 0...65535) == nil)
        #expect(reader.problems.map(\.path) == ["a", "b", "c", "d"])
        #expect(reader.problems.first?.message.contains("0 to 65535") == true)
    }

    @Test("booleans: true/yes/on and false/no/off in any case")
    func booleans() {
        let reader = ConfigReader(environment: [:])
        for text in ["true", "TRUE", "yes", "On"] { #expect(reader.bool(.scalar(text), at: "x") == true, "\(text)") }
        for text in ["false", "No", "off", "OFF"] { #expect(reader.bool(.scalar(text), at: "x") == false, "\(text)") }
        #expect(reader.problems.isEmpty)
        #expect(reader.bool(.scalar("maybe"), at: "y") == nil)
        #expect(reader.bool(.scalar("1"), at: "z") == nil)
        #expect(reader.problems.map(\.path) == ["y", "z"])
    }

    @Test("problem descriptions name the path, or the top level")
    func problemDescriptions() {
        #expect(ConfigProblem(path: "listen.port", message: "bad").description == "listen.port: bad")
        #expect(ConfigProblem(path: "", message: "empty").description == "(top level): empty")
        let all = ConfigProblems(problems: [ConfigProblem(path: "a", message: "one"), ConfigProblem(path: "b.c", message: "two")])
        #expect(all.description == "a: one\nb.c: two")
    }

    @Test("ConfigValue subscript and equality")
    func configValue() {
        let tree = ConfigValue.map([(key: "a", value: .scalar("1")), (key: "b", value: .list([.null]))])
        #expect(tree["a"] == .scalar("1"))
        #expect(tree["b"] == .list([.null]))
        #expect(tree["c"] == nil)
        #expect(ConfigValue.scalar("x")["a"] == nil)
        #expect(tree != .map([(key: "a", value: .scalar("2")), (key: "b", value: .list([.null]))]))
        #expect(ConfigValue.scalar("") != .null)
    }
}
