extension Planner {
    /// Members the local node has not met yet, met directly instead of waiting for gossip: a node learns
    /// of others about once a second from each peer's gossip, and learns a master's slots only from that
    /// master itself, so a cluster of 20 took seconds longer to agree. Only once the local node has
    /// joined (it knows another node: before that, a designated master must stay alone for its config
    /// epoch to be set), and only nodes a member already lists as live and that are pods of this
    /// declaration: they are in this cluster, so the MEET cannot merge two clusters.
    ///
    /// | the local node | an observed member lists | action |
    /// |---|---|---|
    /// | has joined | one of our pods it does not know, live, with an address | MEET it |
    func introductions(_ observation: Observation, matcher: PodMatcher) -> [Action] {
        let local = observation.local
        guard local.others.contains(where: { !$0.flags.handshake }) else { return [] }
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        var met = Set(local.nodes.map(\.id))
        var actions: [Action] = []
        // A peer that knows no one is not a member: a wiped pod waiting for its failover must stay alone.
        for view in observation.allViews.dropFirst() where view.others.contains(where: { !$0.flags.handshake }) {
            for node in view.nodes where !node.flags.handshake && !node.flags.failing && !node.flags.noAddress {
                let (ip, port, busPort) = node.flags.myself ? view.reachableAddress : (node.ip, node.port, node.busPort)
                guard !ip.isEmpty, !met.contains(node.id), !local.isHandshaking(withIP: ip, port: port),
                    let pod = matcher.pod(of: node), pod != observation.me
                else { continue }
                met.insert(node.id)
                actions.append(.meet(on: target, ip: ip, port: port, busPort: busPort, peer: pod.name))
            }
        }
        return actions
    }
}
