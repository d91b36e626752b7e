/// What each action sends, as command arguments: the executor's whole vocabulary, pure and tested.
extension Action {
    /// The command that performs the action.
    public var command: [String] {
        switch self {
        case .setConfigEpoch(_, let epoch): return ["CLUSTER", "SET-CONFIG-EPOCH", String(epoch)]
        case .addSlots(_, let ranges): return ["CLUSTER", "ADDSLOTSRANGE"] + ranges.flatMap { [String($0.lower), String($0.upper)] }
        case .meet(_, let ip, let port, let busPort, _):
            // The bus-port argument exists from Redis 7 on: left out where it is the default.
            let bus = busPort != port + 10000 && busPort > 0 ? [String(busPort)] : []
            return ["CLUSTER", "MEET", ip, String(port)] + bus
        case .replicate(_, let masterID, _): return ["CLUSTER", "REPLICATE", masterID]
        case .forget(_, let nodeID, _): return ["CLUSTER", "FORGET", nodeID]
        case .takeOver: return ["CLUSTER", "FAILOVER", "TAKEOVER"]
        case .detach: return ["CLUSTER", "RESET", "HARD"]
        case .failover: return ["CLUSTER", "FAILOVER"]
        case .setConfig(_, let name, let value): return ["CONFIG", "SET", name, value]
        // A move is many commands on two nodes: the executor's slot mover sends them.
        case .moveSlots(_, let move): return ["CLUSTER", "SETSLOT", String(move.slots.first?.lower ?? 0), "IMPORTING", move.source.id]
        }
    }

    /// Slots per `CLUSTER ADDSLOTS` in `addSlotsFallback`.
    public static let addSlotsBatch = 2000

    /// `addSlots` for a server without `CLUSTER ADDSLOTSRANGE` (Redis 6.2): the slots themselves, in batches.
    public var addSlotsFallback: [[String]] {
        guard case .addSlots(_, let ranges) = self else { return [] }
        let slots = ranges.flatMap { Array($0.lower...$0.upper) }
        return stride(from: 0, to: slots.count, by: Self.addSlotsBatch).map { start in
            ["CLUSTER", "ADDSLOTS"] + slots[start..<min(start + Self.addSlotsBatch, slots.count)].map(String.init)
        }
    }

    /// Whether a server's error reply to `command` still means the goal is reached.
    public func isDone(despite errorReply: String) -> Bool {
        // Another agent may have forgotten the node there first.
        if case .forget = self { return errorReply.contains("Unknown node") }
        return false
    }

    /// The actions as the round trips that carry them: MEETs in a row to one server go together (a busy
    /// server answers each in tens of milliseconds), anything else alone.
    public static func roundTrips(_ actions: [Action]) -> [[Action]] {
        var trips: [[Action]] = []
        for action in actions {
            if case .meet = action, let last = trips.last?.last, case .meet = last, last.target.endpoint == action.target.endpoint {
                trips[trips.count - 1].append(action)
            } else {
                trips.append([action])
            }
        }
        return trips
    }
}
