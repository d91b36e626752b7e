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

    /// How many members an agent introduces in one pass: 800 / pods, at least 8.
    ///
    /// Gossip carries every member to every node in time; introductions only cut the wait for the last
    /// few, which at 10x1 decide when the cluster is healthy. But a MEET that crosses a handshake the
    /// target already started from gossip makes a second one (Redis adds a node for every MEET from an
    /// unknown sender): at 50x1, with every pair introduced, servers logged 3,000 duplicate handshakes
    /// and accepted 14,000 cluster-bus connections where 9,900 make the cluster, on a machine already
    /// 95% busy; with 8 a pass, 1,500 and 12,200. Alternating 50x1 runs, from the last server's start
    /// to the last `cluster_state:ok`, median (range, runs): every pair introduced 4.8 s (4.3-5.9, 8);
    /// none 3.8 s (3.4-4.0, 6); 3 a pass 3.5-4.1 s (2); 8 a pass 4.0 s (3.6-4.9, 8); 16 a pass
    /// 4.2-4.4 s (2). A small cluster is the other way round: gossip is slow there and the servers have
    /// CPU to spare. At 10x1, to topology healthy: none 2.7-3.4 s (3); 8 a pass median 2.5 s (2.2-3.0,
    /// 17); every pair median 2.3 s (2.2-3.1, 22). So the limit is a budget for the whole cluster, about
    /// 800 MEETs a round of passes: 800 / pods a pass, at least 8. At 10x1 that is 40, every pair at
    /// once; at 50x1, 8.
    func introductionsPerPass() -> Int { max(8, 800 / topology.pods.count) }

    /// Entries the local node has, of members it met (or that met it) in a handshake, that lack what the
    /// node itself would have told: Redis does not read the sender's role and slots from the message that
    /// ends a handshake, so the local node would learn a replica's master, or a master's slots, only from
    /// that node's next PING, up to node-timeout/2 later (measured with `bench/bench.py --trace`: a 10x1
    /// bootstrap waited a second for one or the other in most runs). A MEET from that node is read at
    /// once, so the agent asks it for one, on its server. Both already know each other as members (and a
    /// master is asked only when a peer has seen it serve slots): this cannot merge two clusters.
    ///
    /// An outdated entry usually has no hostname either (Redis reads it from the same messages), and the
    /// agent resolves only its own scope's names once the cluster is formed, so such an entry is told by
    /// a peer's entry for the same node ID, which has one (found at 10x1: the last master's slots came a
    /// second late, its entry unmatched and never asked).
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
        // Only once the local node knows a node for every pod. While the cluster forms, entries fill in
        // from gossip anyway and handshakes come and go by the hundred: asking then, at 50x1, added a
        // handshake per ask and took 13.0-13.6 s (11.5 s without the asks, in the same hour). Measured
        // again in session 5, with one introduction per pair: without the gate 10x1 gained about 0.4 s
        // (2.17-2.25 s), but 50x1 took 7.0-9.4 s against 6.3-8.1 s in alternating runs, and asking at
        // most two per pass 7.0-7.8 s.
        guard !ip.isEmpty, local.nodes.count(where: { !$0.flags.handshake }) >= topology.pods.count else { return [] }
        var servingSlots = Set<String>()
        for case .observed(let view) in observation.peers.values {
            for node in view.nodes where node.ownsSlots { servingSlots.insert(node.id) }
        }
        return local.others.compactMap { node -> Action? in
            let outdated = node.flags.replica
                ? node.masterID == nil
                : !node.ownsSlots && servingSlots.contains(node.id)
            guard outdated, node.isUsable, let address = IPAddress(node.ip),
                let pod = matcher.pod(of: node) ?? podNamedByPeers(node.id, observation, matcher: matcher), pod != observation.me
            else { return nil }
            let target = Action.Target(pod: pod, endpoint: Endpoint(address, UInt16(clamping: node.port)))
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
