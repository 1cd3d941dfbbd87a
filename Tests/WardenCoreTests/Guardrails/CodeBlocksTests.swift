import Foundation
import Testing
import WardenCore

@Suite("CodeBlocks")
struct CodeBlocksTests {
    func text(of block: CodeBlock, in source: [UInt8]) -> String {
        String(decoding: source[block.range], as: UTF8.self)
    }

    @Test func backtickAndTildeFencesWithExactOffsets() throws {
        let source = Array("Intro é\n```python\nprint(1)\nx = 2\n```\nmiddle\n~~~ bash\nls -la\n~~~\n".utf8)
        let blocks = CodeBlocks.fenced(in: source)
        #expect(blocks.count == 2)
        #expect(blocks[0].language == .python)
        #expect(text(of: blocks[0], in: source) == "print(1)\nx = 2")
        #expect(blocks[0].code == Array("print(1)\nx = 2".utf8))
        #expect(blocks[0].origin == .fence(infoString: "python", terminated: true))
        #expect(blocks[1].language == .shell)
        #expect(text(of: blocks[1], in: source) == "ls -la")
    }

    @Test func indentedFenceInListItem() {
        let source = Array("1. Install:\n\n   ```sh\n   npm ci\n   ```\n2. Done\n".utf8)
        let blocks = CodeBlocks.fenced(in: source)
        #expect(blocks.count == 1)
        #expect(blocks[0].language == .shell)
        #expect(text(of: blocks[0], in: source) == "   npm ci")
    }

    /// Fence characters inside a line (inline code, a quoted fence) neither open nor close a block; a tab-indented
    /// fence and a CRLF closing line do.
    @Test func fenceCharactersInsideALineAreNotFences() {
        let source = Array("Use `x` or ```inline``` here ~~~\n\t```py\nprint('```')\n  a ``` b\n```\r\nafter `y`\n".utf8)
        let blocks = CodeBlocks.fenced(in: source)
        #expect(blocks.count == 1)
        #expect(blocks[0].language == .python)
        #expect(text(of: blocks[0], in: source) == "print('```')\n  a ``` b")
        #expect(blocks[0].origin == .fence(infoString: "py", terminated: true))
    }

    @Test func longerFenceNeedsLongerCloser() {
        let source = Array("````md\n```js\ninner\n```\n````\n".utf8)
        let blocks = CodeBlocks.fenced(in: source)
        #expect(blocks.count == 1)
        #expect(text(of: blocks[0], in: source) == "```js\ninner\n```")
    }

    @Test func unterminatedFinalFence() {
        let source = Array("Here:\n```go\npackage main\nfunc main() {".utf8)
        let blocks = CodeBlocks.fenced(in: source)
        #expect(blocks.count == 1)
        #expect(blocks[0].origin == .fence(infoString: "go", terminated: false))
        #expect(text(of: blocks[0], in: source) == "package main\nfunc main() {")
        // A fence opened on the very last line has an empty body.
        let justOpened = CodeBlocks.fenced(in: Array("text\n```python".utf8))
        #expect(justOpened.count == 1)
        #expect(justOpened[0].code.isEmpty)
        #expect(justOpened[0].offset == 14)
    }

    @Test func emptyBlockAndCRLF() {
        let source = Array("```\n```\r\n```sql\r\nSELECT 1;\r\n```\r\n".utf8)
        let blocks = CodeBlocks.fenced(in: source)
        #expect(blocks.count == 2)
        #expect(blocks[0].code.isEmpty)
        #expect(blocks[0].language == .unknown)
        #expect(blocks[1].language == .sql)
        #expect(text(of: blocks[1], in: source) == "SELECT 1;")
    }

    @Test func inlineTripleBackticksAreNotFences() {
        #expect(CodeBlocks.fenced(in: Array("Use ```x``` inline.\nMore text".utf8)).isEmpty)
    }

    @Test(arguments: [
        ("python", CodeLanguage.python), ("py", .python), ("{.python}", .python), ("ts", .javascript), ("tsx", .javascript),
        ("jsx", .javascript), ("mjs", .javascript), ("go", .go), ("java", .java), ("kotlin", .kotlin), ("zsh", .shell),
        ("console", .shell), ("postgresql", .sql), ("Dockerfile", .dockerfile), ("hcl", .terraform), ("yaml", .yaml),
        ("python title=\"app.py\"", .python), ("js:server.js", .javascript), ("app/main.go", .go), ("", .unknown),
        ("text", .unknown),
    ])
    func infoStringLanguages(_ info: String, _ expected: CodeLanguage) {
        #expect(CodeBlocks.language(infoString: info) == expected)
    }

    @Test(arguments: [
        ("/a/b.py", CodeLanguage.python), ("x.mjs", .javascript), ("x.cjs", .javascript), ("x.tsx", .javascript),
        ("main.go", .go), ("A.java", .java), ("B.kt", .kotlin), ("run.sh", .shell), ("q.sql", .sql), ("Dockerfile", .dockerfile),
        ("/r/api.dockerfile", .dockerfile), ("Dockerfile.prod", .dockerfile), ("main.tf", .terraform), ("deploy.yaml", .yaml),
        ("README", .unknown), ("notes.txt", .unknown),
    ])
    func filePathLanguages(_ path: String, _ expected: CodeLanguage) {
        #expect(CodeBlocks.language(filePath: path) == expected)
    }

    @Test func writeTool() throws {
        let blocks = CodeBlocks.fromToolCall(name: "Write", input: ["file_path": "/repo/app.ts", "content": "const a = 1;"])
        let block = try #require(blocks.first)
        #expect(blocks.count == 1)
        #expect(block.language == .javascript)
        #expect(block.code == Array("const a = 1;".utf8))
        #expect(block.offset == 0)
        #expect(block.filePath == "/repo/app.ts")
        #expect(block.origin == .toolInput(tool: "Write", field: "content"))
    }

    @Test func editScansOnlyNewString() {
        let blocks = CodeBlocks.fromToolCall(
            name: "Edit",
            input: ["file_path": "/repo/main.go", "old_string": "OLD", "new_string": "NEW"]
        )
        #expect(blocks.map(\.code) == [Array("NEW".utf8)])
        #expect(blocks.first?.language == .go)
        #expect(blocks.first?.origin == .toolInput(tool: "Edit", field: "new_string"))
    }

    @Test func multiEditFromRawJSON() {
        let json = #"{"file_path":"/r/Dockerfile","edits":[{"old_string":"a","new_string":"USER root"},{"old_string":"b","new_string":"RUN ls"}]}"#
        let blocks = CodeBlocks.fromToolCall(name: "MultiEdit", inputJSON: Array(json.utf8))
        #expect(blocks.count == 2)
        #expect(blocks.allSatisfy { $0.language == .dockerfile })
        #expect(blocks[1].origin == .toolInput(tool: "MultiEdit", field: "edits[1].new_string"))
        #expect(blocks[1].code == Array("RUN ls".utf8))
    }

    @Test func notebookAndBash() {
        let notebook = CodeBlocks.fromToolCall(name: "NotebookEdit", input: ["notebook_path": "/n.ipynb", "new_source": "x = 1"])
        #expect(notebook.first?.language == .python)
        #expect(notebook.first?.origin == .toolInput(tool: "NotebookEdit", field: "new_source"))
        let markdownCell = CodeBlocks.fromToolCall(
            name: "NotebookEdit",
            input: ["notebook_path": "/n.ipynb", "new_source": "# Title", "cell_type": "markdown"]
        )
        #expect(markdownCell.isEmpty)
        let bash = CodeBlocks.fromToolCall(name: "Bash", inputJSON: Array(#"{"command":"ls -la\nrm -rf /tmp/x"}"#.utf8))
        #expect(bash.first?.language == .shell)
        #expect(bash.first?.code == Array("ls -la\nrm -rf /tmp/x".utf8))
    }

    @Test func markdownFileContributesOnlyItsFences() {
        let content = "# Setup\nNever use verify=False.\n```bash\nnpm ci\n```\n"
        let blocks = CodeBlocks.fromToolCall(name: "Write", input: ["file_path": "/r/README.md", "content": content])
        #expect(blocks.count == 1)
        #expect(blocks.first?.language == .shell)
        let bytes = Array(content.utf8)
        if let block = blocks.first { #expect(String(decoding: bytes[block.range], as: UTF8.self) == "npm ci") }
    }

    @Test func otherToolsAndBadInput() {
        #expect(CodeBlocks.fromToolCall(name: "Read", input: ["file_path": "/a.py"]).isEmpty)
        #expect(CodeBlocks.fromToolCall(name: "Write", input: ["file_path": "/a.py"]).isEmpty)
        #expect(CodeBlocks.fromToolCall(name: "Bash", inputJSON: Array("{not json".utf8)).isEmpty)
        #expect(CodeBlocks.fromToolCall(name: "MultiEdit", input: ["edits": "nope"]).isEmpty)
    }
}
