import Logging
import ServiceLifecycle
import WardenCore
import WardenStore

/// Runs the sequencer beside the server. Listed first among the application's services, it is shut down last: after
/// the server has let in-flight exchanges finish, one final step sequences them before the store closes.
struct LedgerService: Service {
    let sequencer: LedgerSequencer
    let distributor: CheckpointDistributor?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await sequencer.start()
            logger.notice(
                "ledger running",
                metadata: ["origin": "\(sequencer.origin)", "verifier_key": "\(sequencer.signer.verifierKey)"]
            )
        } catch {
            logger.error("ledger could not start; records wait for the next start", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await sequencer.run(interval: interval) }
                if let distributor { group.addTask { await distributor.run(interval: interval) } }
            }
        }
        do {
            try await sequencer.step()
            await distributor?.distributeLatest()
        } catch {
            logger.error(
                "ledger: the last records were not sequenced before stopping; the next start sequences them",
                metadata: ["error": "\(error)"]
            )
        }
    }
}
