import JoinLogic
import Platform
import RESPClient

/// The cluster specification's slot migration, slot by slot, in its order: `SETSLOT IMPORTING` on the
/// destination, `SETSLOT MIGRATING` on the source, `GETKEYSINSLOT` and `MIGRATE ... REPLACE KEYS` until
/// the slot is empty, `SETSLOT NODE` on the destination, then on the source. Each step is safe to repeat,
/// so a move interrupted anywhere is finished by running it again. Slots go in groups, each step of a
/// group in one round trip; keys go `keysPerCall` a `MIGRATE` (redis-cli: 10).
struct LegacySlotMover: SlotRangeMover {
    let timeout: Double
    let credentials: RedisCredentials?
    let access: ServerAccess
    let log: Log
    var keysPerCall = 1000
    var slotsPerGroup = 64

    init(settings: Settings) {
        timeout = settings.timeout
        credentials = settings.credentials
        access = settings.access
        log = settings.log
    }

    func perform(_ move: SlotMove) throws -> Int {
        // MIGRATE waits for the destination: give the connection room beyond MIGRATE's own timeout.
        let source = try access.connect(move.source.endpoint, host: move.source.host, timeout: timeout * 2 + 5)
        let destination = try access.connect(move.destination.endpoint, host: move.destination.host, timeout: timeout * 2 + 5)
        let slots = SlotBalance.slotList(move.slots)
        var keys = 0
        var done = 0
        var lastReport = Deadline.now()
        for start in stride(from: 0, to: slots.count, by: slotsPerGroup) {
            let group = Array(slots[start..<min(start + slotsPerGroup, slots.count)])
            keys += try moveGroup(group, move, source: source, destination: destination)
            done += group.count
            if Deadline.now().seconds(since: lastReport) >= 5 {
                log.info("moving slots from \(move.source) to \(move.destination): \(done) of \(slots.count) slots, \(keys) keys so far")
                lastReport = .now()
            }
        }
        return keys
    }

    private func moveGroup(_ group: [Int], _ move: SlotMove, source: RedisConnection, destination: RedisConnection) throws -> Int {
        let importing = try destination.sendAll(group.map { ["CLUSTER", "SETSLOT", String($0), "IMPORTING", move.source.id] })
        var open: [Int] = []
        for (slot, reply) in zip(group, importing) {
            if case .error(let message) = reply {
                // Already the destination's: an earlier run got this far; only the source may still show it open.
                guard message.contains("already the owner") else { throw MoveError.refused(slot: slot, step: "IMPORTING", message) }
                continue
            }
            open.append(slot)
        }
        let migrating = try source.sendAll(open.map { ["CLUSTER", "SETSLOT", String($0), "MIGRATING", move.destination.id] })
        for (slot, reply) in zip(open, migrating) {
            if case .error(let message) = reply { throw MoveError.refused(slot: slot, step: "MIGRATING", message) }
        }
        var keys = 0
        for slot in open { keys += try moveKeys(of: slot, move, source: source) }
        try settle(group, move, on: destination)
        try settle(group, move, on: source, lastSlotsMayGo: true)
        return keys
    }

    /// `SETSLOT NODE` for the group: the slots are the destination's, and any mark left open is cleared.
    /// `lastSlotsMayGo`: on the source, which turns into a replica of the destination as soon as it
    /// learns its last slot is gone (`cluster-allow-replica-migration`), closing every open slot as it does.
    private func settle(_ group: [Int], _ move: SlotMove, on connection: RedisConnection, lastSlotsMayGo: Bool = false) throws {
        let replies = try connection.sendAll(group.map { ["CLUSTER", "SETSLOT", String($0), "NODE", move.destination.id] })
        for (slot, reply) in zip(group, replies) {
            if case .error(let message) = reply {
                if lastSlotsMayGo && message.contains("only with masters") { return }
                throw MoveError.refused(slot: slot, step: "NODE", message)
            }
        }
    }

    private func moveKeys(of slot: Int, _ move: SlotMove, source: RedisConnection) throws -> Int {
        var moved = 0
        while true {
            let reply = try source.sendAll([["CLUSTER", "GETKEYSINSLOT", String(slot), String(keysPerCall)]])[0]
            guard case .array(let values) = reply else { throw MoveError.refused(slot: slot, step: "GETKEYSINSLOT", "\(reply)") }
            let keys = values.compactMap { value -> [UInt8]? in if case .bulkString(let bytes) = value { bytes } else { nil } }
            if keys.isEmpty { return moved }
            let reply2 = try source.sendAll(bytes: [migrateCommand(move, keys: keys)])[0]
            if case .error(let message) = reply2, !message.hasPrefix("NOKEY") {
                throw MoveError.refused(slot: slot, step: "MIGRATE", message)
            }
            moved += keys.count
        }
    }

    /// `MIGRATE host port "" 0 timeout REPLACE [AUTH ...] KEYS ...`: REPLACE settles a key found on both
    /// sides after a crash between MIGRATE's copy and its delete.
    func migrateCommand(_ move: SlotMove, keys: [[UInt8]]) -> [[UInt8]] {
        let address = move.destination.endpoint
        var words = ["MIGRATE", address.address.description, String(address.port), "", "0", String(Int(timeout * 1000)), "REPLACE"]
        if let credentials {
            if let user = credentials.user {
                words += ["AUTH2", user, credentials.password]
            } else {
                words += ["AUTH", credentials.password]
            }
        }
        words.append("KEYS")
        return words.map { Array($0.utf8) } + keys
    }

    /// A step a server refused; the password never appears (MIGRATE's arguments are not repeated).
    enum MoveError: Error, CustomStringConvertible {
        case refused(slot: Int, step: String, String)

        var description: String {
            switch self {
            case .refused(let slot, let step, let message): return "slot \(slot): \(step) refused: \(message.prefix(200))"
            }
        }
    }
}
