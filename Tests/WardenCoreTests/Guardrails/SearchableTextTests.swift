import Foundation
import Testing

@testable import WardenCore

/// `SearchableText` must answer exactly as Foundation's `String.contains`, including outside ASCII and for "".
@Suite("SearchableText")
struct SearchableTextTests {
    @Test(arguments: ["", "example", "my-example-key", "<your-token>", "ключ example", "cafe\u{301}", "${token}"])
    func matchesFoundation(_ text: String) {
        let searchable = SearchableText(text)
        for part in ["", "example", "<", "${", "xxxx", "é", "e\u{301}", "ключ", "-fake-", text] {
            #expect(searchable.contains(part) == text.contains(part), "\(text) / \(part)")
        }
    }
}
