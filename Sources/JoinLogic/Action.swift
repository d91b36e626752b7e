import Declaration
import Platform

/// One step the executor performs on one node. Each is checked by the planner before it is chosen
/// and is safe to repeat.
public enum Action: Equatable, Sendable, CustomStringConvertible {
    /// `CLUSTER SET-CONFIG-EPOCH` on a virgin master, so creation gives distinct epochs 1...M.
    case setConfigEpoch(on: Target, epoch: Int)
    /// `CLUSTER ADDSLOTSRANGE` (or `ADDSLOTS` on 6.2) of slots no node serves.
    case addSlots(on: Target, ranges: [SlotRange])
    /// `CLUSTER MEET ip port busPort`, sent to `on`, introducing the node at that address.
    case meet(on: Target, ip: String, port: Int, busPort: Int, peer: String)
    /// `CLUSTER REPLICATE masterID` on `on`. After a MEET of that master in the same list, the executor
    /// first waits a moment for the handshake, until `on` knows the master (not in handshake, not failing).
    case replicate(on: Target, masterID: String, master: String)
    /// `CLUSTER FORGET nodeID` on `on`: the failed, old identity of a pod that came back with a new one.
    case forget(on: Target, nodeID: String, pod: String?)
    /// `CLUSTER FAILOVER TAKEOVER` on a replica whose master is certainly gone (its pod answers under
    /// another ID) but will never be marked failed.
    case takeOver(on: Target, shard: Int)
    /// `CLUSTER FAILOVER` (coordinated: the master pauses its writes until `on` has caught up) on a
    /// replica of `from`, a master about to stop (`Handover`).
    case failover(on: Target, shard: Int, from: String)
    /// Slots moved from one master to another by the slot-migration protocol (`SlotMove`); `on` is the
    /// creator's node, whose agent drives every move. Resumable: an interrupted move shows as open slots, which the planner finishes.
    case moveSlots(on: Target, move: SlotMove)
    /// `CLUSTER RESET HARD` on a replica whose pod the declaration now names another shard's master (the
    /// ordinal layout re-maps pods when the shard count changes): its data is a copy of its master's, and
    /// it comes back an empty node under a new ID, to be introduced as the new shard's master.
    case detach(on: Target, shard: Int, master: String)
    /// `CONFIG SET name value` on the local node: the agent's own settings (the announced hostname, the
    /// full-sync delay), never the planner's.
    case setConfig(on: Target, name: String, value: String)

    /// The node an action is sent to.
    public struct Target: Equatable, Sendable, CustomStringConvertible {
        /// The pod.
        public let pod: PodIdentity
        /// Where the agent reached it.
        public let endpoint: Endpoint

        public init(pod: PodIdentity, endpoint: Endpoint) {
            self.pod = pod
            self.endpoint = endpoint
        }

        public var description: String { pod.name }
    }

    /// The node it is sent to.
    public var target: Target {
        switch self {
        case .setConfigEpoch(let target, _), .addSlots(let target, _), .meet(let target, _, _, _, _),
            .replicate(let target, _, _), .forget(let target, _, _), .takeOver(let target, _), .setConfig(let target, _, _),
            .failover(let target, _, _), .moveSlots(let target, _), .detach(let target, _, _):
            return target
        }
    }

    public var description: String {
        switch self {
        case .setConfigEpoch(let target, let epoch): return "set config epoch \(epoch) on \(target)"
        case .addSlots(let target, let ranges):
            return "assign slots \(ranges.map(\.description).joined(separator: ",")) to \(target)"
        case .meet(let target, let ip, let port, _, let peer): return "introduce \(peer) (\(ip):\(port)) to \(target)"
        case .replicate(let target, let id, let master): return "make \(target) a replica of \(master) (\(id.prefix(8)))"
        case .forget(let target, let id, let pod?): return "forget \(pod)'s old node ID \(id.prefix(8)) on \(target)"
        case .forget(let target, let id, nil):
            return "forget node ID \(id.prefix(8)) on \(target): no address, no pod, every pod accounted for under other IDs"
        case .takeOver(let target, let shard): return "take over shard \(shard) on \(target) (CLUSTER FAILOVER TAKEOVER)"
        case .setConfig(let target, let name, let value): return "set \(name) to \(value) on \(target)"
        case .failover(let target, let shard, let from):
            return "hand shard \(shard) over from \(from) to \(target) (CLUSTER FAILOVER)"
        case .moveSlots(_, let move): return move.description
        case .detach(let target, let shard, let master):
            return
                "detach \(target) from \(master) to become shard \(shard)'s master (CLUSTER RESET HARD on a replica: its data is its master's copy)"
        }
    }
}
