import Foundation
import Synchronization
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

    /// Headers as `[{"name":…,"value":…}, …]`, written directly: they are encoded twice per exchange, and Foundation's
    /// encoder was the largest cost of writing a record. Read back with the decoder like any other JSON.
    static func json(_ headers: [HeaderField]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(headers.reduce(2) { $0 + $1.name.utf8.count + $1.value.utf8.count + 22 })
        output.append(UInt8(ascii: "["))
        for (index, header) in headers.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: #"{"name":"#.utf8)
            JSONString.append(header.name.utf8, to: &output)
            output.append(contentsOf: #","value":"#.utf8)
            JSONString.append(header.value.utf8, to: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        return String(decoding: output, as: UTF8.self)
    }

    /// A caller's principal is the same for every exchange it makes: encoded once, then remembered (a bounded memo).
    static func json(_ principal: Principal) -> String {
        if let known = principals.withLock({ $0[principal] }) { return known }
        let encoded = String(decoding: (try? encoder.encode(principal)) ?? Data("null".utf8), as: UTF8.self)
        principals.withLock { memo in
            if memo.count >= 4096 { memo.removeAll() }
            memo[principal] = encoded
        }
        return encoded
    }

    private static let principals = Mutex<[Principal: String]>([:])

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?, field: String) throws -> T {
        guard let text, let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw StoreError.corruptRecord(field)
        }
        return value
    }

    /// Events as `[[offset, length, micros], …]`: compact, and readable with any JSON tool.
    static func events(_ marks: [EventMark]) -> String {
        var text = "["
        text.reserveCapacity(marks.count * 24 + 2)
        for (index, mark) in marks.enumerated() {
            if index > 0 { text += "," }
            text += "[\(mark.offset),\(mark.length),\(mark.arrivalMicros)]"
        }
        return text + "]"
    }

    static func events(from text: String?) throws -> [EventMark] {
        let rows = try decode([[Int64]].self, text ?? "[]", field: "events")
        return try rows.map { row in
            guard row.count == 3 else { throw StoreError.corruptRecord("events") }
            return EventMark(offset: Int(row[0]), length: Int(row[1]), arrivalMicros: row[2])
        }
    }
}
