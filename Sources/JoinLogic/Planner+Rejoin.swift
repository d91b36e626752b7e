import NodeFinder
import Platform

extension Planner {
    /// Repairs that keep a formed cluster's membership true, each safe on its own and to repeat:
    ///
    /// | the local node's entry for a pod | the pod now | action |
    /// |---|---|---|
    /// | at an address the pod's name no longer resolves to | answers there with the same node ID | MEET it at its current address |
    /// | failed or `noaddr`, and another live entry carries the same hostname | it came back with a new ID (wiped) | FORGET the old ID here |
    /// | known here but not knowing this node, or the reverse | - | MEET it (`oneWayAcquaintances`) |
    ///
    /// Every agent does this for its own node, so all nodes forget a ghost within one check of each
    /// other, well inside FORGET's 60 s ban.
    func repairs(_ observation: Observation) -> [Action] {
        let local = observation.local
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        var actions: [Action] = []
        for node in local.others where !node.flags.handshake {
            guard let hostname = node.hostname, let pod = topology.pod(withHost: hostname) else { continue }
            if let ghost = ghostToForget(node, pod: pod, in: local) {
                actions.append(.forget(on: target, nodeID: ghost, pod: pod.name))
                continue
            }
            guard let current = movedAddress(of: node, pod: pod, addresses: observation.addresses),
                let view = observation.view(of: pod), view.myself.id == node.id
            else { continue }
            actions.append(.meet(on: target, ip: current.description, port: Int(pod.port), busPort: view.myself.busPort, peer: pod.name))
        }
        // A moved pod that also half-knows this node is met once, at its new address.
        return actions + oneWayAcquaintances(observation).filter { !actions.contains($0) }
    }

    /// The address `pod`'s name gives now, when the local entry `node` for it is elsewhere (or has none).
    func movedAddress(of node: ClusterNode, pod: PodIdentity, addresses: [String: IPAddress]) -> IPAddress? {
        guard let current = addresses[pod.name], node.ip != current.description || node.flags.noAddress else { return nil }
        return current
    }

    /// Pairs where only one side knows the other: a node killed before it saved a MEET it had accepted
    /// comes back without the node that met it, and ignores that node's PINGs from then on (Redis learns
    /// of nodes only by MEET or from senders it knows). Either way the local node MEETs the peer; the two
    /// already share a node (one of them), so this cannot merge two clusters.
    func oneWayAcquaintances(_ observation: Observation) -> [Action] {
        let local = observation.local
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        var actions: [Action] = []
        for pod in topology.pods where pod != observation.me {
            guard let view = observation.peers[pod.name]?.view else { continue }
            let theyKnowMe = view.node(withID: local.myself.id).map { !$0.flags.handshake } ?? false
            let iKnowThem = local.node(withID: view.myself.id).map { !$0.flags.handshake } ?? false
            guard theyKnowMe != iKnowThem, !local.isAlone || theyKnowMe else { continue }
            let (ip, port, busPort) = view.reachableAddress
            // A handshake under way on either side is the normal first moment of a MEET, not a half-known pair.
            if local.isHandshaking(withIP: ip, port: port) { continue }
            if let mine = observation.addresses[observation.me.name],
                view.isHandshaking(withIP: mine.description, port: Int(observation.me.port))
            {
                continue
            }
            actions.append(.meet(on: target, ip: ip, port: port, busPort: busPort, peer: pod.name))
        }
        return actions
    }

    /// `node`'s ID when it is a ghost of `pod` that may be forgotten: it is gone (the cluster agreed it
    /// failed, or Redis marked it `noaddr` because a new node took its address, after which it is never
    /// pinged and so never marked failed), it serves no slot (forgetting it would unassign them), it is
    /// not the local node's own master (Redis refuses that), and a live entry with the same hostname and
    /// another ID shows the pod is back.
    func ghostToForget(_ node: ClusterNode, pod: PodIdentity, in local: NodeView) -> String? {
        guard node.flags.failing || node.flags.noAddress, !node.ownsSlots, local.myself.masterID != node.id else { return nil }
        let successor = local.nodes.first { other in
            other.id != node.id && !other.flags.failing && !other.flags.handshake
                && other.hostname.map { topology.pod(withHost: $0) == pod } == true
        }
        return successor == nil ? nil : node.id
    }
}
