import Declaration
import Platform

extension Planner {
    /// Members the local node has not met yet, met directly instead of waiting for gossip: a node learns
    /// of others about once a second from each peer's gossip, and learns a master's slots only from that
    /// master itself, so a cluster of 20 took seconds longer to agree. Only once the local node has
    /// joined (it knows another node: before that, a designated master must stay alone for its config
    /// epoch to be set), and only pods of this declaration: nodes a member lists as live (they are in
    /// this cluster, so the MEET cannot merge two clusters), and designated replicas that are still
    /// virgin (they will join their shard's master anyway; meeting them early spreads them sooner). A
    /// designated master that is alone is never met: it is waiting for its failover, or to be created.
    /// Of two members, only the one declared first MEETs the other: one MEET makes both know each other.
    /// At most `introductionsPerPass` a pass: the rest are left to gossip for a pass, and in a large
    /// cluster most arrive that way (see there).
    ///
    /// | the local node | an observed peer | action |
    /// |---|---|---|
    /// | has joined | a member listing one of our pods the local node does not know, live, with an address, declared after it | MEET it |
    /// | has joined | a virgin designated replica | MEET it |
    func introductions(_ observation: Observation, matcher: PodMatcher) -> [Action] {
        let local = observation.local
        guard local.others.contains(where: { !$0.flags.handshake }) else { return [] }
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        var met = Set(local.nodes.map(\.id))
        let order = Dictionary(uniqueKeysWithValues: topology.pods.enumerated().map { ($1.name, $0) })
        let mine = order[observation.me.name] ?? 0
        var actions: [Action] = []
        let limit = introductionsPerPass()
        for pod in topology.pods where pod != observation.me {
            guard let view = observation.peers[pod.name]?.view else { continue }
            let member = view.others.contains { !$0.flags.handshake }
            guard member || (view.isVirgin && !pod.isDesignatedMaster) else { continue }
            for node in view.nodes where !node.flags.handshake && !node.flags.failing && !node.flags.noAddress {
                let (ip, port, busPort) = node.flags.myself ? view.reachableAddress : (node.ip, node.port, node.busPort)
                guard !ip.isEmpty, !met.contains(node.id), !local.isHandshaking(withIP: ip, port: port),
                    let nodePod = node.flags.myself ? pod : matcher.pod(of: node), nodePod != observation.me
                else { continue }
                // One MEET per pair: of two members, the one declared first introduces the other.
                if member, let theirs = order[nodePod.name], theirs < mine { continue }
                met.insert(node.id)
                actions.append(.meet(on: target, ip: ip, port: port, busPort: busPort, peer: nodePod.name))
                if actions.count == limit { return actions }
            }
        }
        return actions
    }

    /// How many members an agent introduces in one pass: 800 / pods, at least 8. A budget for the whole
    /// cluster: a MEET that crosses a handshake gossip started makes a second one, which costs a large
    /// cluster more than gossip's wait (docs/DESIGN.md, "Introductions").
    func introductionsPerPass() -> Int { max(8, 800 / topology.pods.count) }

    /// Entries the local node has, of members it met (or that met it) in a handshake, that lack what the
    /// node itself would have told: Redis does not read the sender's role and slots from the message that
    /// ends a handshake, but it reads a MEET at once, so the agent asks that node for one, on its server
    /// (docs/DESIGN.md, "Introductions"). Both already know each other as members: this cannot merge two
    /// clusters. Such an entry usually has no hostname either, so it is told by a peer's entry for the
    /// same node ID.
    ///
    /// When the local node knows as many nodes as there are pods:
    ///
    /// | it lists one of our pods, usable, | a peer's view | action |
    /// |---|---|---|
    /// | as a replica without a master | - | on that pod's server: MEET the local node |
    /// | as a master without slots | shows that node serving slots | on that pod's server: MEET the local node |
    func outdatedEntries(_ observation: Observation, matcher: PodMatcher) -> [Action] {
        let local = observation.local
        let myself = local.myself
        let ip = myself.ip.isEmpty ? observation.addresses[observation.me.name]?.description ?? "" : myself.ip
        // Only once the local node knows a node for every pod: while the cluster forms, entries fill in
        // from gossip anyway, and an ask then adds a handshake (docs/DESIGN.md, "Introductions").
        guard !ip.isEmpty, local.nodes.count(where: { !$0.flags.handshake }) >= topology.pods.count else { return [] }
        var servingSlots = Set<String>()
        for case .observed(let view) in observation.peers.values {
            for node in view.nodes where node.ownsSlots { servingSlots.insert(node.id) }
        }
        return local.others.compactMap { node -> Action? in
            let outdated =
                node.flags.replica
                ? node.masterID == nil
                : !node.ownsSlots && servingSlots.contains(node.id)
            guard outdated, node.isUsable, let endpoint = node.endpoint,
                let pod = matcher.pod(of: node) ?? podNamedByPeers(node.id, observation, matcher: matcher), pod != observation.me
            else { return nil }
            let target = Action.Target(pod: pod, endpoint: endpoint)
            return .meet(on: target, ip: ip, port: myself.port, busPort: myself.busPort, peer: observation.me.name)
        }
    }

    /// The pod a node ID is in a peer's view that carries its hostname.
    func podNamedByPeers(_ id: String, _ observation: Observation, matcher: PodMatcher) -> PodIdentity? {
        for case .observed(let view) in observation.peers.values {
            if let seen = view.node(withID: id), seen.hostname != nil, let pod = matcher.pod(of: seen) { return pod }
        }
        return nil
    }
}
