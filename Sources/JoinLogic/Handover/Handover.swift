import Declaration
import Platform

/// Whom a master that is about to stop hands its slots to, from its own node alone: the decision table
/// of a planned handover (docs/DESIGN.md, "Handover").
///
/// | the local node | its replicas (CLUSTER NODES and INFO replication) | decision |
/// |---|---|---|
/// | a replica, or a master without slots | - | nothing to hand over |
/// | a master serving slots | no replica of its shard connected and not failing or suspected | no heir: stop as it is |
/// | a master serving slots | such replicas, none `state=online` and acked within 2 s (a full sync under way) | wait for one |
/// | a master serving slots | such replicas streaming its writes | the one with the highest offset (then the lowest ordinal) takes over: `CLUSTER FAILOVER` on it |
///
/// A pod beyond the declaration (draining) hands over to a replica of its own StatefulSet alike.
/// A coordinated `CLUSTER FAILOVER` pauses the master's writes until the replica has caught up, so a
/// replica a little behind loses nothing; `FORCE` and `TAKEOVER` are never used while this master lives.
public enum Handover {
    /// What the node should do now.
    public enum Decision: Equatable, Sendable {
        /// The node serves no slots: nothing to hand over (the text says what it is).
        case servesNoSlots(String)
        /// The node serves slots and no replica can take them: the text says why.
        case noHeir(String)
        /// A replica is connected but not streaming this master's writes yet (its full sync is under way).
        case awaitHeir(String)
        /// Send this `.failover` to the heir.
        case handOver(Action)
    }

    /// Seconds since a replica's last acknowledgement beyond which it is not trusted to take over.
    public static let maximumLag = 2

    /// The decision for the local node of `me`, seen as `local` with its replicas' progress `links`.
    public static func decide(local: NodeView, links: ReplicaLinks, me: PodIdentity, matcher: PodMatcher) -> Decision {
        let myself = local.myself
        guard myself.flags.master, myself.ownsSlots else {
            return .servesNoSlots(myself.flags.replica ? "this node is a replica" : "this node is a master without slots")
        }
        var heirs: [(pod: PodIdentity, endpoint: Endpoint, link: ReplicaLinks.Link)] = []
        var passedOver: [String] = []
        var syncing: [String] = []
        for node in local.others where node.masterID == myself.id {
            guard let pod = matcher.anyPod(of: node), pod.shard == me.shard else {
                passedOver.append("\(node.ip):\(node.port) is not a pod of shard \(me.shard)")
                continue
            }
            guard node.isUsable, !node.flags.suspectedFailing, node.linkConnected, let endpoint = node.endpoint else {
                passedOver.append("\(pod.name) is not connected")
                continue
            }
            guard let link = links.link(ip: node.ip, port: node.port), link.online, link.lag <= maximumLag else {
                syncing.append("\(pod.name) is not streaming this master's writes yet")
                continue
            }
            heirs.append((pod, endpoint, link))
        }
        guard let heir = heirs.min(by: { ($1.link.offset, $0.pod.ordinal) < ($0.link.offset, $1.pod.ordinal) }) else {
            if !syncing.isEmpty { return .awaitHeir("waiting for a replica of shard \(me.shard): \(syncing.joined(separator: "; "))") }
            let why = passedOver.isEmpty ? "it has no replica" : passedOver.joined(separator: "; ")
            return .noHeir("no replica can take shard \(me.shard) over: \(why)")
        }
        let target = Action.Target(pod: heir.pod, endpoint: heir.endpoint)
        return .handOver(.failover(on: target, shard: me.shard, from: me.name))
    }
}
