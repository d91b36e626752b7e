import Dispatch
import JoinLogic
import Platform
import RESPClient

/// Performs actions: each is logged, sent as its `Action.command`, and its reply checked. A list stops at
/// its first failure; the next pass observes again and plans from there.
final class Executor {
    private let pool: ConnectionPool
    private let log: Log
    private let mover: any SlotRangeMover

    init(pool: ConnectionPool, log: Log, mover: any SlotRangeMover) {
        self.pool = pool
        self.log = log
        self.mover = mover
    }

    /// Performs `actions` in order; MEETs in a row to one server go in one round trip; slot moves (the
    /// planner gives them alone) run side by side, one thread each.
    func execute(_ actions: [Action]) {
        let moves = actions.compactMap { action -> SlotMove? in if case .moveSlots(_, let move) = action { move } else { nil } }
        if !moves.isEmpty { return perform(moves) }
        // Who was introduced to whom in this list: a REPLICATE of a node just met waits for that handshake.
        var introduced: Set<Introduction> = []
        for group in Action.roundTrips(actions) {
            for action in group { log.info(action.description) }
            pool.name(group[0].target.endpoint, group[0].target.pod.host)
            do {
                try pool.with(group[0].target.endpoint) { connection in
                    if group.count == 1 {
                        try perform(group[0], on: connection, introduced: introduced)
                    } else {
                        // The first refusal is thrown (the others were performed), as `command` would.
                        try connection.commands(group.map(\.command))
                    }
                }
            } catch {
                log.warning(
                    "could not \(group.count == 1 ? group[0].description : "introduce \(group.count) nodes"): \(error); will look again")
                return
            }
            for case .meet(let target, _, _, _, let peer) in group { introduced.insert(Introduction(node: target.pod.name, peer: peer)) }
        }
    }

    /// The moves at once, each on its own connections; a failed one is logged and left to the next pass,
    /// which sees its open slots and finishes them.
    private func perform(_ moves: [SlotMove]) {
        let mover = self.mover
        let log = self.log
        let started = Deadline.now()
        for move in moves { log.info(move.description) }
        DispatchQueue.concurrentPerform(iterations: moves.count) { index in
            let move = moves[index]
            do {
                let keys = try mover.perform(move)
                let seconds = Deadline.now().seconds(since: started)
                log.info(
                    "moved \(move.slotCount) slots (\(keys) keys) from \(move.source) to \(move.destination) in \((seconds * 10).rounded() / 10) s"
                )
            } catch {
                log.warning("could not \(move.description): \(error); will look again")
            }
        }
    }

    /// Performs one action and lets its caller handle a failure (the agent's own settings).
    func perform(_ action: Action) throws {
        pool.name(action.target.endpoint, action.target.pod.host)
        try pool.with(action.target.endpoint) { try perform(action, on: $0, introduced: []) }
    }

    /// A MEET performed: `peer` introduced to `node`'s server.
    private struct Introduction: Hashable {
        let node: String
        let peer: String
    }

    private func perform(_ action: Action, on connection: RedisConnection, introduced: Set<Introduction>) throws {
        if case .replicate(let target, let masterID, let master) = action,
            introduced.contains(Introduction(node: target.pod.name, peer: master))
        {
            try HandshakeWait.untilKnown(masterID, master: master, on: connection)
        }
        do {
            try connection.command(action.command)
        } catch {
            guard let message = error.serverMessage else { throw error }
            if action.isDone(despite: message) { return }
            guard case .addSlots = action, message.lowercased().contains("unknown subcommand") else { throw error }
            log.info("\(action.target) has no CLUSTER ADDSLOTSRANGE (Redis < 7.0); assigning the slots with ADDSLOTS")
            for command in action.addSlotsFallback { try connection.command(command) }
        }
    }
}
