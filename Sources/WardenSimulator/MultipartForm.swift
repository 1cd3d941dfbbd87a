import Foundation

/// The parts of a `multipart/form-data` body (RFC 7578), read just far enough to receive an uploaded file.
struct MultipartForm {
    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        var content: Data
    }

    var parts: [Part]

    /// Nil when `contentType` is not multipart with a boundary, or the body is not framed by it.
    init?(body: Data, contentType: String) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameters(contentType)["boundary"], !boundary.isEmpty
        else { return nil }
        let delimiter = Data("--\(boundary)".utf8)
        let nextDelimiter = Data("\r\n--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else { return nil }
        var parts: [Part] = []
        while body[cursor..<min(cursor + 2, body.endIndex)] != Data("--".utf8) {
            guard let headers = body.range(of: headerEnd, in: cursor..<body.endIndex),
                let end = body.range(of: nextDelimiter, in: headers.upperBound..<body.endIndex)
            else { return nil }
            parts.append(
                Self.part(
                    headers: String(decoding: body[cursor..<headers.lowerBound], as: UTF8.self),
                    content: Data(body[headers.upperBound..<end.lowerBound])
                )
            )
            cursor = end.upperBound
        }
        self.parts = parts
    }

    private static func part(headers: String, content: Data) -> Part {
        var part = Part(content: content)
        for line in headers.split(separator: "\r\n") {
            let (name, value) = line.firstIndex(of: ":").map { (line[..<$0].lowercased(), String(line[line.index(after: $0)...])) } ?? ("", "")
            switch name {
            case "content-disposition":
                let parameters = parameters(value)
                part.name = parameters["name"]
                part.filename = parameters["filename"]
            case "content-type":
                part.contentType = value.trimmingCharacters(in: .whitespaces)
            default:
                break
            }
        }
        return part
    }

    /// `key=value` parameters after the first `;`, with quotes removed.
    private static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            result[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }
}
