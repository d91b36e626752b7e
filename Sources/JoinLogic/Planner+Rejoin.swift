import NodeFinder

extension Planner {
    /// Repairs that keep a formed cluster's membership true, each safe on its own and to repeat:
    ///
    /// | the local node's entry for a pod | the pod now | action |
    /// |---|---|---|
    /// | at an address the pod's name no longer resolves to | answers there with the same node ID | MEET it at its current address |
    /// | failed or `noaddr`, and another live entry carries the same hostname | it came back with a new ID (wiped) | FORGET the old ID here |
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
            guard let current = observation.addresses[pod.name], node.ip != current.description || node.flags.noAddress,
                let view = observation.view(of: pod), view.myself.id == node.id
            else { continue }
            actions.append(.meet(on: target, ip: current.description, port: Int(pod.port), busPort: view.myself.busPort, peer: pod.name))
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
