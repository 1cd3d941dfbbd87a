import Foundation
import Testing
import WardenCore

@Suite("Exchange ids")
struct ExchangeIDTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test("26 Crockford base32 characters, the first at most 7")
    func shape() {
        for _ in 0..<200 {
            let id = ExchangeID()
            #expect(id.rawValue.count == 26)
            #expect(id.rawValue.allSatisfy { Self.crockford.contains($0) })
            #expect(id.rawValue.first.map { $0 <= "7" } == true)
            #expect(id.description == id.rawValue)
        }
    }

    @Test("the time prefix is the ULID encoding of the milliseconds")
    func timePrefix() {
        // The ULID specification's example: 1469918176385 ms → 01ARYZ6S41.
        #expect(ExchangeID(date: Date(timeIntervalSince1970: 1_469_918_176.385)).rawValue.hasPrefix("01ARYZ6S41"))
        #expect(ExchangeID(date: Date(timeIntervalSince1970: 1_700_000_000.5)).rawValue.hasPrefix("01HF7YATFM"))
        #expect(ExchangeID(date: Date(timeIntervalSince1970: 0)).rawValue.hasPrefix("0000000000"))
        #expect(ExchangeID(date: Date(timeIntervalSince1970: -5)).rawValue.hasPrefix("0000000000"))
    }

    /// Dates between 1985 and 2031 hold their milliseconds exactly, so the id must give them back.
    @Test("milliseconds round-trip", arguments: [1_700_000_000_500, 1_469_918_176_385, 1_000_000_000_001, 1_900_000_000_999, 1_234_567_890_123])
    func milliseconds(milliseconds: UInt64) throws {
        let id = ExchangeID(date: Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000))
        #expect(id.milliseconds == milliseconds)
        #expect(try #require(ExchangeID(id.rawValue)).milliseconds == milliseconds)
    }

    @Test("ids sort by time, as strings and as values")
    func sortsByTime() {
        let start: UInt64 = 1_700_000_000_000
        let times = (0..<300).map { step in start + UInt64(step * step) }
        let ids = times.map { ExchangeID(date: Date(timeIntervalSince1970: TimeInterval($0) / 1000)) }
        #expect(ids.map(\.milliseconds) == times)
        #expect(ids.shuffled().sorted() == ids)
        #expect(ids.map(\.rawValue).shuffled().sorted() == ids.map(\.rawValue))
        #expect(ids[0] < ids[1])
        #expect(!(ids[1] < ids[0]))
        #expect(ExchangeID(date: Date(timeIntervalSince1970: 1_900_000_000)) > ids[299])
    }

    @Test("ids made in the same millisecond differ")
    func randomPart() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = Set((0..<1000).map { _ in ExchangeID(date: date) })
        #expect(ids.count == 1000)
        #expect(Set(ids.map { $0.rawValue.prefix(10) }).count == 1)
    }

    @Test("parsing accepts any letter case and normalises to upper case")
    func parsesLowerCase() throws {
        let id = ExchangeID()
        #expect(ExchangeID(id.rawValue) == id)
        #expect(ExchangeID(id.rawValue.lowercased()) == id)
        let mixed = String(id.rawValue.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.lowercased()) : $0.element })
        #expect(ExchangeID(mixed) == id)
        #expect(ExchangeID("01arYz6s41tsv4rrffq69g5fav")?.rawValue == "01ARYZ6S41TSV4RRFFQ69G5FAV")
    }

    @Test(
        "parsing refuses anything that is not a ULID",
        arguments: [
            "", "01ARYZ6S41TSV4RRFFQ69G5FA", "01ARYZ6S41TSV4RRFFQ69G5FAVX", "01ARYZ6S41TSV4RRFFQ69G5FAI", "01ARYZ6S41TSV4RRFFQ69G5FAL",
            "01ARYZ6S41TSV4RRFFQ69G5FAO", "01ARYZ6S41TSV4RRFFQ69G5FAU", "81ARYZ6S41TSV4RRFFQ69G5FAV", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "01ARYZ6S41TSV4RRFFQ69G5FA-", " 01ARYZ6S41TSV4RRFFQ69G5FA", "01ARYZ6S41TSV4RRFFQ69G5FAV\n", "01ARYZ6S41TSV4RRFFQ69G5FAé",
            "../../../../../../etc/pass",
        ]
    )
    func refuses(text: String) {
        #expect(ExchangeID(text) == nil)
    }

    @Test("the largest time prefix 7ZZZZZZZZZ is accepted")
    func largest() {
        #expect(ExchangeID("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")?.milliseconds == (1 << 48) - 1)
    }

    @Test("Codable round-trips as a plain string; a bad string does not decode")
    func codable() throws {
        let id = ExchangeID()
        let encoded = try JSONEncoder().encode([id])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"\(id.rawValue)\"]")
        #expect(try JSONDecoder().decode([ExchangeID].self, from: encoded) == [id])
        let lower = Data("[\"\(id.rawValue.lowercased())\"]".utf8)
        #expect(try JSONDecoder().decode([ExchangeID].self, from: lower) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ExchangeID].self, from: Data(#"["not-an-id"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ExchangeID].self, from: Data("[42]".utf8)) }
    }
}
