import WardenStore

/// A prepared store on a database of its own, and the few looks beneath it that the cases need.
/// Each backend provides one; `StoreBehaviour` runs the same cases against every one of them.
protocol StoreHarness: Sendable {
    /// A fresh, empty, prepared store.
    static func make() async throws -> Self

    var store: any RecordingStore { get }

    /// Another store on the same database, as a restarted gateway or a second replica opens it.
    func reopen() async throws -> any RecordingStore

    /// Bytes held in `body_chunks`, to see what de-duplication saved.
    func chunkBytes() async throws -> Int

    /// Runs SQL behind the store's back, as someone with direct access to the database would (tamper cases).
    func tamper(_ sql: String) async throws

    /// Which SQL `tamper` speaks, for the few statements the two databases spell differently.
    var isPostgres: Bool { get }

    /// Shuts the store down and deletes its database.
    func dispose() async throws
}

extension StoreHarness {
    /// Runs one case on a fresh database and cleans up after it, whether it passed or not.
    static func run(_ body: (Self) async throws -> Void) async throws {
        let harness = try await make()
        do {
            try await body(harness)
        } catch {
            try? await harness.dispose()
            throw error
        }
        try await harness.dispose()
    }
}
