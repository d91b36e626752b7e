extension Planner {
    /// Members the local node has not met yet, met directly instead of waiting for gossip: a node learns
    /// of others about once a second from each peer's gossip, and learns a master's slots only from that
    /// master itself, so a cluster of 20 took seconds longer to agree. Only once the local node has
    /// joined (it knows another node: before that, a designated master must stay alone for its config
    /// epoch to be set), and only pods of this declaration: nodes a member lists as live (they are in
    /// this cluster, so the MEET cannot merge two clusters), and designated replicas that are still
    /// virgin (they will join their shard's master anyway; meeting them early spreads them sooner). A
    /// designated master that is alone is never met: it is waiting for its failover, or to be created.
    ///
    /// | the local node | an observed peer | action |
    /// |---|---|---|
    /// | has joined | a member listing one of our pods the local node does not know, live, with an address | MEET it |
    /// | has joined | a virgin designated replica | MEET it |
    func introductions(_ observation: Observation, matcher: PodMatcher) -> [Action] {
        let local = observation.local
        guard local.others.contains(where: { !$0.flags.handshake }) else { return [] }
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        var met = Set(local.nodes.map(\.id))
        var actions: [Action] = []
        for pod in topology.pods where pod != observation.me {
            guard let view = observation.peers[pod.name]?.view else { continue }
            let member = view.others.contains { !$0.flags.handshake }
            guard member || (view.isVirgin && !pod.isDesignatedMaster) else { continue }
            for node in view.nodes where !node.flags.handshake && !node.flags.failing && !node.flags.noAddress {
                let (ip, port, busPort) = node.flags.myself ? view.reachableAddress : (node.ip, node.port, node.busPort)
                guard !ip.isEmpty, !met.contains(node.id), !local.isHandshaking(withIP: ip, port: port),
                    let nodePod = node.flags.myself ? pod : matcher.pod(of: node), nodePod != observation.me
                else { continue }
                met.insert(node.id)
                actions.append(.meet(on: target, ip: ip, port: port, busPort: busPort, peer: nodePod.name))
            }
        }
        return actions
    }
}
