import HummingbirdCore

/// A cursor page as every list endpoint returns it, cut by `limit` (1–1000, default 20), `after_id` and
/// `before_id`.
struct Page {
    var data: [JSONText]
    var hasMore: Bool
    var firstID: String?
    var lastID: String?

    init<Item>(_ items: [Item], id: (Item) -> String, query: URI, render: (Item) -> JSONText) throws(APIError) {
        let parameters = query.queryParameters
        var limit = 20
        if let text = parameters["limit"] {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw .invalidRequest("limit: Input should be an integer between 1 and 1000")
            }
            limit = value
        }
        let ids = items.map(id)
        var window = items[...]
        var backwards = false
        if let after = parameters["after_id"] {
            window = ids.firstIndex(of: String(after)).map { items[($0 + 1)...] } ?? []
        } else if let before = parameters["before_id"] {
            window = ids.firstIndex(of: String(before)).map { items[..<$0] } ?? []
            backwards = true
        }
        let page = backwards ? window.suffix(limit) : window.prefix(limit)
        self.data = page.map(render)
        self.hasMore = page.count < window.count
        self.firstID = page.first.map(id)
        self.lastID = page.last.map(id)
    }

    var json: JSONText {
        .object(["data": .array(data), "has_more": .bool(hasMore), "first_id": .string(firstID), "last_id": .string(lastID)])
    }
}
