import Testing

/// The shared store cases against PostgreSQL, each on a database of its own; skipped unless
/// `WARDEN_TEST_POSTGRES_URL` names a server.
@Suite("PostgresStore", .enabled(if: PostgresHarness.isConfigured, "set WARDEN_TEST_POSTGRES_URL (scripts/postgres-test-server.sh)"))
struct PostgresStoreTests {
    @Test("An exchange reads back field for field, bodies byte-exact, times to the microsecond")
    func roundTripsEveryField() async throws { try await PostgresHarness.run(StoreBehaviour.roundTripsEveryField) }

    @Test("Each way an exchange can end is kept")
    func keepsEachOutcome() async throws { try await PostgresHarness.run(StoreBehaviour.keepsEachOutcome) }

    @Test("markInterrupted ends open exchanges and leaves closed ones alone")
    func marksOpenExchangesInterrupted() async throws { try await PostgresHarness.run(StoreBehaviour.marksOpenExchangesInterrupted) }

    @Test("Refusals read back in id order, filtered by time and limited")
    func roundTripsRefusals() async throws { try await PostgresHarness.run(StoreBehaviour.roundTripsRefusals) }

    @Test("Bodies sharing most of their content share their chunks")
    func storesSharedContentOnce() async throws { try await PostgresHarness.run(StoreBehaviour.storesSharedContentOnce) }

    @Test("Exports page through exchanges in id order")
    func pagesInIDOrder() async throws { try await PostgresHarness.run(StoreBehaviour.pagesInIDOrder) }

    @Test("200 concurrent opens are all committed, each once")
    func commitsConcurrentOpens() async throws { try await PostgresHarness.run(StoreBehaviour.commitsConcurrentOpens) }

    @Test("Bad writes fail alone, not the batch they were committed with")
    func failsOnlyTheBadWritesOfABatch() async throws { try await PostgresHarness.run(StoreBehaviour.failsOnlyTheBadWritesOfABatch) }

    @Test("An external key names one session per issuer, subject and source")
    func joinsSessionsByExternalKey() async throws { try await PostgresHarness.run(StoreBehaviour.joinsSessionsByExternalKey) }

    @Test("A request extending an earlier conversation joins its session")
    func followsConversations() async throws { try await PostgresHarness.run(StoreBehaviour.followsConversations) }

    @Test("Sessions are listed by last activity and filtered by user, time and model")
    func listsSessionsMatchingAQuery() async throws { try await PostgresHarness.run(StoreBehaviour.listsSessionsMatchingAQuery) }

    @Test("Replicas opening the same new session keys at once share one session per key")
    func sharesNewSessionsAcrossReplicas() async throws { try await PostgresHarness.run(StoreBehaviour.sharesNewSessionsAcrossReplicas) }
}
