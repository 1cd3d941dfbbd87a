import Foundation

/// Points every `results_url` in a Message Batches response at Warden, because SDKs fetch an absolute
/// `results_url` directly and would otherwise bypass Warden's identity check and recording.
/// Only the URL strings change; every other byte of the body stays as the upstream sent it.
public enum BatchURLRewriter {
    public static func isBatchPath(_ path: String) -> Bool {
        path.hasPrefix("/v1/messages/batches")
    }

    /// Returns the rewritten body, or nil when nothing needed rewriting (the body then passes unchanged).
    public static func rewrite(_ body: Data, publicBaseURL: String) -> Data? {
        guard let object = try? JSONSerialization.jsonObject(with: body) else { return nil }
        var urls: Set<String> = []
        collectResultURLs(object, into: &urls)
        let base = publicBaseURL.trimmingSuffix("/")
        var text = String(decoding: body, as: UTF8.self)
        var changed = false
        for url in urls {
            guard let replacement = relocated(url, base: base), replacement != url else { continue }
            // JSON may spell `/` as `\/`; either spelling of the old URL is replaced.
            for spelling in [encoded(url), encoded(url).replacingOccurrences(of: "/", with: "\\/")] where text.contains(spelling) {
                text = text.replacingOccurrences(of: spelling, with: encoded(replacement))
                changed = true
            }
        }
        return changed ? Data(text.utf8) : nil
    }

    private static func collectResultURLs(_ value: Any, into urls: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, inner) in object {
                if key == "results_url", let url = inner as? String {
                    urls.insert(url)
                } else {
                    collectResultURLs(inner, into: &urls)
                }
            }
        } else if let array = value as? [Any] {
            for inner in array { collectResultURLs(inner, into: &urls) }
        }
    }

    private static func encoded(_ string: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: string, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\(string)\""
    }

    /// Keeps the path and query of `url` and puts it under Warden's base URL.
    static func relocated(_ url: String, base: String) -> String? {
        guard let components = URLComponents(string: url) else { return nil }
        let path = components.percentEncodedPath
        guard path.hasPrefix("/v1/") else { return nil }
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return base + path + query
    }
}

extension String {
    /// The string without any number of trailing `suffix`es (`https://x//` → `https://x`).
    public func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
