import Foundation
import WardenCore

/// Encodings shared by every store, so SQLite and PostgreSQL hold the same bytes for the same record.
enum StoreCodec {
    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
    static func date(micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    /// One encoder for every record: building one per call showed on the write path, and encoding is thread-safe.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?, field: String) throws -> T {
        guard let text, let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw StoreError.corruptRecord(field)
        }
        return value
    }

    /// Events as `[[offset, length, micros], …]`: compact, and readable with any JSON tool.
    static func events(_ marks: [EventMark]) -> String {
        json(marks.map { [Int64($0.offset), Int64($0.length), $0.arrivalMicros] })
    }

    static func events(from text: String?) throws -> [EventMark] {
        let rows = try decode([[Int64]].self, text ?? "[]", field: "events")
        return try rows.map { row in
            guard row.count == 3 else { throw StoreError.corruptRecord("events") }
            return EventMark(offset: Int(row[0]), length: Int(row[1]), arrivalMicros: row[2])
        }
    }
}
