import Testing

/// The shared store cases against SQLite, on a real file.
@Suite("SQLiteStore")
struct SQLiteStoreTests {
    @Test("An exchange reads back field for field, bodies byte-exact, times to the microsecond")
    func roundTripsEveryField() async throws { try await SQLiteHarness.run(StoreBehaviour.roundTripsEveryField) }

    @Test("Each way an exchange can end is kept")
    func keepsEachOutcome() async throws { try await SQLiteHarness.run(StoreBehaviour.keepsEachOutcome) }

    @Test("markInterrupted ends open exchanges and leaves closed ones alone")
    func marksOpenExchangesInterrupted() async throws { try await SQLiteHarness.run(StoreBehaviour.marksOpenExchangesInterrupted) }

    @Test("Refusals read back in id order, filtered by time and limited")
    func roundTripsRefusals() async throws { try await SQLiteHarness.run(StoreBehaviour.roundTripsRefusals) }

    @Test("Bodies sharing most of their content share their chunks")
    func storesSharedContentOnce() async throws { try await SQLiteHarness.run(StoreBehaviour.storesSharedContentOnce) }

    @Test("Exports page through exchanges in id order")
    func pagesInIDOrder() async throws { try await SQLiteHarness.run(StoreBehaviour.pagesInIDOrder) }

    @Test("200 concurrent opens are all committed, each once")
    func commitsConcurrentOpens() async throws { try await SQLiteHarness.run(StoreBehaviour.commitsConcurrentOpens) }

    @Test("Bad writes fail alone, not the batch they were committed with")
    func failsOnlyTheBadWritesOfABatch() async throws { try await SQLiteHarness.run(StoreBehaviour.failsOnlyTheBadWritesOfABatch) }

    @Test("An external key names one session per issuer, subject and source")
    func joinsSessionsByExternalKey() async throws { try await SQLiteHarness.run(StoreBehaviour.joinsSessionsByExternalKey) }

    @Test("A request extending an earlier conversation joins its session")
    func followsConversations() async throws { try await SQLiteHarness.run(StoreBehaviour.followsConversations) }

    @Test("Sessions are listed by last activity and filtered by user, time and model")
    func listsSessionsMatchingAQuery() async throws { try await SQLiteHarness.run(StoreBehaviour.listsSessionsMatchingAQuery) }

    @Test("Replicas opening the same new session keys at once share one session per key")
    func sharesNewSessionsAcrossReplicas() async throws { try await SQLiteHarness.run(StoreBehaviour.sharesNewSessionsAcrossReplicas) }

    // MARK: Findings

    @Test("Findings read back with the record that carried them, in the order written, also after a restart")
    func roundTripsFindings() async throws { try await SQLiteHarness.run(StoreBehaviour.roundTripsFindings) }

    @Test("Findings are listed newest first and filtered by time, severity, user and category")
    func listsFindingsMatchingAQuery() async throws { try await SQLiteHarness.run(StoreBehaviour.listsFindingsMatchingAQuery) }

    @Test("A blocked exchange keeps the finding that blocked it")
    func keepsABlockedExchange() async throws { try await SQLiteHarness.run(StoreBehaviour.keepsABlockedExchange) }

    // MARK: Ledger

    @Test("Closed exchanges and refusals become leaves chained per session, under a signed checkpoint")
    func sequencesClosedRecordsIntoSessionChains() async throws {
        try await SQLiteHarness.run(StoreBehaviour.sequencesClosedRecordsIntoSessionChains)
    }

    @Test("Records waiting for the ledger, whichever way they closed, list oldest first and from a position on")
    func listsWaitingRecordsOldestFirstFromAPosition() async throws {
        try await SQLiteHarness.run(StoreBehaviour.listsWaitingRecordsOldestFirstFromAPosition)
    }

    @Test("An append not at the ledger's end, or for a record with a leaf, is refused and writes nothing")
    func refusesAppendsThatDoNotContinueTheLedger() async throws {
        try await SQLiteHarness.run(StoreBehaviour.refusesAppendsThatDoNotContinueTheLedger)
    }

    @Test("A store restored to before the last checkpoint stops signing with an alarm")
    func alarmsWhenTheStoreGoesBackInTime() async throws { try await SQLiteHarness.run(StoreBehaviour.alarmsWhenTheStoreGoesBackInTime) }

    @Test("A ledger whose history changed stops signing with an alarm")
    func alarmsWhenTheLedgerIsRewritten() async throws { try await SQLiteHarness.run(StoreBehaviour.alarmsWhenTheLedgerIsRewritten) }

    @Test("An untouched ledger audits clean")
    func verifiesAnUntouchedLedger() async throws { try await SQLiteHarness.run(StoreBehaviour.verifiesAnUntouchedLedger) }

    @Test("Tamper: a flipped body byte")
    func detectsAFlippedBodyByte() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAFlippedBodyByte) }

    @Test("Tamper: a body swapped for another")
    func detectsASwappedBody() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsASwappedBody) }

    @Test("Tamper: a changed record field")
    func detectsAChangedRecord() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAChangedRecord) }

    @Test("Tamper: a changed checkpoint")
    func detectsAChangedCheckpoint() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAChangedCheckpoint) }

    @Test("Tamper: a deleted exchange")
    func detectsADeletedExchange() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsADeletedExchange) }

    @Test("Tamper: a truncated tail, the store's checkpoint deleted too")
    func detectsATruncatedTail() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsATruncatedTail) }

    @Test("Tamper: a leaf removed from the middle, with its record")
    func detectsALeafRemovedFromTheMiddle() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsALeafRemovedFromTheMiddle) }

    @Test("Tamper: a finding changed, then removed")
    func detectsAChangedOrRemovedFinding() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAChangedOrRemovedFinding) }

    @Test("Tamper: reordered leaves")
    func detectsReorderedLeaves() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsReorderedLeaves) }

    @Test("Tamper: a duplicated exchange")
    func detectsADuplicatedExchange() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsADuplicatedExchange) }

    @Test("Tamper: a forged leaf inserted into history")
    func detectsAForgedInsertion() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAForgedInsertion) }

    @Test("Tamper: an exchange moved to another session")
    func detectsAnExchangeMovedToAnotherSession() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAnExchangeMovedToAnotherSession) }

    @Test("Tamper: an exchange moved to another user")
    func detectsAnExchangeMovedToAnotherUser() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsAnExchangeMovedToAnotherUser) }

    @Test("Tamper: checkpoints re-signed with a substituted key")
    func detectsASubstitutedSigningKey() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsASubstitutedSigningKey) }

    @Test("Tamper: a whole session deleted and the ledger renumbered")
    func detectsADeletedSession() async throws { try await SQLiteHarness.run(StoreBehaviour.detectsADeletedSession) }
}
