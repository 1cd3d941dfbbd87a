import Foundation

/// The programming language of a piece of code, as far as the unsafe-code rules care. TypeScript, JSX and the
/// module variants share `javascript`; Kotlin shares most rules with Java but keeps its own case.
public enum CodeLanguage: String, Sendable, Codable, CaseIterable {
    case python
    case javascript
    case go
    case java
    case kotlin
    case shell
    case sql
    case dockerfile
    case terraform
    case yaml
    case unknown
}

/// One piece of code the model wrote: the body of a fenced Markdown block, or a code-bearing field of a tool call.
public struct CodeBlock: Sendable, Equatable {
    /// Where the code came from.
    public enum Origin: Sendable, Equatable {
        /// A fenced block in text; `offset` is the byte offset of `code` in that text.
        case fence(infoString: String, terminated: Bool)
        /// A field of a tool call's input, e.g. `Write` / `content` or `MultiEdit` / `edits[1].new_string`; `offset`
        /// is 0 and ranges are relative to the decoded field value.
        case toolInput(tool: String, field: String)
    }

    public var language: CodeLanguage
    /// The code, byte for byte as it appears in the source (fence bodies keep their indentation).
    public var code: [UInt8]
    /// Byte offset of `code[0]` in the original text.
    public var offset: Int
    public var origin: Origin
    /// The file the tool call writes, if any.
    public var filePath: String?

    public init(language: CodeLanguage, code: [UInt8], offset: Int, origin: Origin, filePath: String? = nil) {
        self.language = language
        self.code = code
        self.offset = offset
        self.origin = origin
        self.filePath = filePath
    }

    /// Byte range of the code in the original text.
    public var range: Range<Int> { offset..<(offset + code.count) }
}

/// Extracts code from what a model writes: fenced Markdown blocks and the code fields of Claude Code tool calls.
public enum CodeBlocks {
    // MARK: Fenced blocks

    /// Every fenced block (``` or ~~~, any indentation) in `text`, in order. A fence left open at the end of the text
    /// (a stream still in progress) yields a block running to the end, marked unterminated.
    ///
    /// Only lines whose first non-blank byte is a backtick or a tilde can open or close a fence, so the search jumps
    /// from one such byte to the next (found with `memchr`, which looks at many bytes per step) instead of walking
    /// every line: most of a text is lines outside any fence.
    public static func fenced(in text: [UInt8]) -> [CodeBlock] {
        var blocks: [CodeBlock] = []
        let count = text.count
        // The open fence: its character, length, indentation, info string and where its body starts.
        var open: (char: UInt8, length: Int, info: String, bodyStart: Int)?
        var backtick = find(0x60, in: text, from: 0)
        var tilde = find(0x7E, in: text, from: 0)
        while min(backtick, tilde) < count {
            let i = min(backtick, tilde)
            var lineStart = i
            while lineStart > 0 && (text[lineStart - 1] == 0x20 || text[lineStart - 1] == 0x09) { lineStart -= 1 }
            let startsLine = lineStart == 0 || text[lineStart - 1] == 0x0A
            var next = i + 1
            if startsLine {
                let lineEnd = endOfLine(text, from: i)
                next = lineEnd < count ? lineEnd + 1 : count
                let char = text[i]
                var j = i
                while j < lineEnd && text[j] == char { j += 1 }
                let length = j - i
                if length >= 3 {
                    if let current = open {
                        if char == current.char && length >= current.length && isBlank(text, j, lineEnd) {
                            var bodyEnd = lineStart
                            if bodyEnd > current.bodyStart { bodyEnd -= 1 }  // drop the newline before the fence
                            if bodyEnd > current.bodyStart && text[bodyEnd - 1] == 0x0D { bodyEnd -= 1 }
                            blocks.append(
                                makeFenceBlock(text, current.bodyStart, max(current.bodyStart, bodyEnd), current.info, terminated: true)
                            )
                            open = nil
                        }
                    } else {
                        let infoBytes = text[j..<lineEnd]
                        if !(char == 0x60 && infoBytes.contains(0x60)) {
                            let info = trimmed(infoBytes)
                            open = (char, length, info, next)
                        }
                    }
                }
            }
            if backtick < next { backtick = find(0x60, in: text, from: next) }
            if tilde < next { tilde = find(0x7E, in: text, from: next) }
        }
        if let current = open {
            let bodyStart = min(current.bodyStart, count)
            blocks.append(makeFenceBlock(text, bodyStart, count, current.info, terminated: false))
        }
        return blocks
    }

    /// The offset of the first `byte` at or after `start`, or the end of `text`.
    private static func find(_ byte: UInt8, in text: [UInt8], from start: Int) -> Int {
        text.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress, start < bytes.count, let found = memchr(base + start, Int32(byte), bytes.count - start) else {
                return bytes.count
            }
            return UnsafeRawPointer(base).distance(to: found)
        }
    }

    /// The offset of the first line feed at or after `start`, or the end of `text`.
    private static func endOfLine(_ text: [UInt8], from start: Int) -> Int { find(0x0A, in: text, from: start) }

    /// The info string without surrounding white space. Foundation's trimming is only needed outside ASCII, where
    /// it also removes Unicode spaces; on ASCII both trim the same bytes.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    private static func isBlank(_ text: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var k = from
        while k < to {
            let b = text[k]
            if b != 0x20 && b != 0x09 && b != 0x0D { return false }
            k += 1
        }
        return true
    }

    private static func makeFenceBlock(_ text: [UInt8], _ start: Int, _ end: Int, _ info: String, terminated: Bool) -> CodeBlock {
        CodeBlock(
            language: language(infoString: info),
            code: Array(text[start..<end]),
            offset: start,
            origin: .fence(infoString: info, terminated: terminated)
        )
    }

    // MARK: Languages

    private static let languageNames: [String: CodeLanguage] = [
        "python": .python, "py": .python, "python3": .python, "py3": .python, "python2": .python, "ipython": .python,
        "pycon": .python, "django": .python, "flask": .python,
        "javascript": .javascript, "js": .javascript, "jsx": .javascript, "mjs": .javascript, "cjs": .javascript,
        "node": .javascript, "nodejs": .javascript, "typescript": .javascript, "ts": .javascript, "tsx": .javascript,
        "mts": .javascript, "cts": .javascript, "vue": .javascript, "svelte": .javascript,
        "go": .go, "golang": .go,
        "java": .java, "kotlin": .kotlin, "kt": .kotlin, "kts": .kotlin,
        "sh": .shell, "bash": .shell, "zsh": .shell, "shell": .shell, "console": .shell, "shell-session": .shell,
        "shellsession": .shell, "ksh": .shell, "fish": .shell,
        "sql": .sql, "postgresql": .sql, "postgres": .sql, "psql": .sql, "pgsql": .sql, "plpgsql": .sql, "mysql": .sql,
        "sqlite": .sql, "tsql": .sql, "plsql": .sql, "mssql": .sql,
        "dockerfile": .dockerfile, "docker": .dockerfile, "containerfile": .dockerfile,
        "terraform": .terraform, "tf": .terraform, "hcl": .terraform, "tfvars": .terraform,
        "yaml": .yaml, "yml": .yaml, "k8s": .yaml, "kubernetes": .yaml,
    ]

    /// The language named by a fence info string: its first word, ignoring `{.lang}` braces and a `:file` or
    /// `title=` suffix; a word that looks like a file name is resolved by its extension.
    public static func language(infoString: String) -> CodeLanguage {
        // The usual case, a bare lower-case name such as `python`, is its own first word.
        if !infoString.isEmpty, infoString.utf8.allSatisfy({ $0 &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == 0x2D || $0 == 0x5F || $0 == 0x2B }) {
            return languageNames[infoString] ?? .unknown
        }
        var word = Substring(infoString.trimmingCharacters(in: .whitespaces))
        if let space = word.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "," }) { word = word[..<space] }
        word = word.drop(while: { $0 == "{" || $0 == "." })
        while let last = word.last, last == "}" { word = word.dropLast() }
        let lowered = word.lowercased()
        if lowered.isEmpty { return .unknown }
        if let known = languageNames[lowered] { return known }
        if let colon = lowered.firstIndex(of: ":") {
            let head = String(lowered[..<colon])
            if let known = languageNames[head] { return known }
            return language(filePath: String(lowered[lowered.index(after: colon)...]))
        }
        if lowered.contains(".") || lowered.contains("/") { return language(filePath: lowered) }
        return .unknown
    }

    /// The language of a file, from its name or extension.
    public static func language(filePath: String) -> CodeLanguage {
        let name = (filePath.split(separator: "/").last.map(String.init) ?? filePath).lowercased()
        if name == "dockerfile" || name.hasPrefix("dockerfile.") || name.hasSuffix(".dockerfile") || name == "containerfile" {
            return .dockerfile
        }
        if name == "makefile" { return .unknown }
        guard let dot = name.lastIndex(of: ".") else { return .unknown }
        let ext = String(name[name.index(after: dot)...])
        switch ext {
        case "py", "pyw", "pyi", "ipynb": return .python
        case "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "vue", "svelte": return .javascript
        case "go": return .go
        case "java": return .java
        case "kt", "kts": return .kotlin
        case "sh", "bash", "zsh", "ksh", "envrc": return .shell
        case "sql", "psql", "pgsql": return .sql
        case "tf", "hcl", "tfvars": return .terraform
        case "yaml", "yml": return .yaml
        default: return .unknown
        }
    }

    // MARK: Tool calls

    /// The code in a tool call: `Write` content, `Edit` new_string, `MultiEdit` edits[].new_string, `NotebookEdit`
    /// new_source and `Bash` command. Other tools yield nothing.
    public static func fromToolCall(name: String, input: [String: Any]) -> [CodeBlock] {
        func string(_ key: String) -> String? { input[key] as? String }
        func blocks(_ value: String, _ field: String, _ language: CodeLanguage, _ path: String?) -> [CodeBlock] {
            let origin = CodeBlock.Origin.toolInput(tool: name, field: field)
            if let path, isMarkdown(path) {
                // A Markdown file: only its fenced blocks are code; offsets stay relative to the field.
                return fenced(in: Array(value.utf8)).map {
                    CodeBlock(language: $0.language, code: $0.code, offset: $0.offset, origin: origin, filePath: path)
                }
            }
            return [CodeBlock(language: language, code: Array(value.utf8), offset: 0, origin: origin, filePath: path)]
        }
        switch name {
        case "Write":
            guard let content = string("content") else { return [] }
            let path = string("file_path")
            return blocks(content, "content", path.map { language(filePath: $0) } ?? .unknown, path)
        case "Edit":
            guard let new = string("new_string") else { return [] }
            let path = string("file_path")
            return blocks(new, "new_string", path.map { language(filePath: $0) } ?? .unknown, path)
        case "MultiEdit":
            let path = string("file_path")
            let lang = path.map { language(filePath: $0) } ?? .unknown
            guard let edits = input["edits"] as? [Any] else { return [] }
            var result: [CodeBlock] = []
            for (index, edit) in edits.enumerated() {
                if let edit = edit as? [String: Any], let new = edit["new_string"] as? String {
                    result += blocks(new, "edits[\(index)].new_string", lang, path)
                }
            }
            return result
        case "NotebookEdit":
            guard let source = string("new_source") else { return [] }
            let path = string("notebook_path")
            if string("cell_type") == "markdown" { return [] }
            let lang = path.map { language(filePath: $0) } ?? .python
            return blocks(source, "new_source", lang == .unknown ? .python : lang, nil).map {
                var b = $0
                b.filePath = path
                return b
            }
        case "Bash":
            guard let command = string("command") else { return [] }
            return blocks(command, "command", .shell, nil)
        default:
            return []
        }
    }

    private static func isMarkdown(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") || lowered.hasSuffix(".mdx")
    }

    /// As `fromToolCall(name:input:)`, from the raw JSON of the tool's `input` (a complete object); invalid JSON
    /// yields nothing.
    public static func fromToolCall(name: String, inputJSON: [UInt8]) -> [CodeBlock] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(inputJSON)), let input = object as? [String: Any] else {
            return []
        }
        return fromToolCall(name: name, input: input)
    }
}
