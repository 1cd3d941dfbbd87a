import Foundation
import Testing
import WardenCore

@Suite struct JSONValueTests {
    @Test func decodesEachKindDistinctly() throws {
        let text = #"{"b":true,"n":1,"s":"x","a":[null,2.5],"o":{}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == ["b": true, "n": 1, "s": "x", "a": [.null, .number(2.5)], "o": [:]])
        #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)) == value)
    }
}
