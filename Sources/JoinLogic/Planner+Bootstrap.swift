import Declaration

extension Planner {
    /// The creator's rule. Creation is a fixed list of steps (epochs 1...M, each shard's range on its
    /// designated master, MEETs from the creator); this returns the steps not yet done, so a creator
    /// killed at any point resumes from what it observes. It acts only while every designated master
    /// is up and fresh: no keys, no foreign nodes, no slots but its own range, epoch 0 or its own.
    /// Anything else means a cluster already exists (or a stranger is in the way): it returns nil and
    /// the joining rules decide, or waits naming the obstacle.
    func bootstrap(_ observation: Observation, matcher: PodMatcher) -> Decision? {
        var masters: [(pod: PodIdentity, view: NodeView)] = []
        var missing: [PodIdentity] = []
        for pod in topology.designatedMasters {
            if let view = observation.view(of: pod) { masters.append((pod, view)) } else { missing.append(pod) }
        }
        let local = observation.local
        // A master serving slots, or a replica: after a handover or a failover the creator comes back as
        // its shard's replica, and the designated masters it would wait for may be replicas too.
        let localIsMember = !local.isAlone && (local.myself.ownsSlots || local.myself.flags.replica)
        if let first = missing.first {
            if localIsMember { return nil }
            return .wait("waiting for \(describe(first, in: observation)) (\(missing.count) of \(topology.shards) masters not up)")
        }

        let shardByID = Dictionary(masters.map { ($0.view.myself.id, $0.pod.shard) }, uniquingKeysWith: { first, _ in first })
        let problems = masters.compactMap { freshness(of: $0.pod, $0.view, shardByID: shardByID, matcher: matcher) }
        if let problem = problems.first {
            if localIsMember || owner(ofShard: 0, in: observation, matcher: matcher) != nil { return nil }
            return .wait("not creating the cluster: \(problem)")
        }

        var actions: [Action] = []
        for (pod, view) in masters where view.myself.configEpoch == 0 {
            actions.append(.setConfigEpoch(on: Action.Target(pod: pod, endpoint: view.endpoint), epoch: pod.shard + 1))
        }
        for (pod, view) in masters {
            let unassigned = topology.slots(ofShard: pod.shard).subtracting(view.myself.slots)
            if !unassigned.isEmpty {
                actions.append(.addSlots(on: Action.Target(pod: pod, endpoint: view.endpoint), ranges: unassigned))
            }
        }
        let creator = Action.Target(pod: observation.me, endpoint: local.endpoint)
        for (pod, view) in masters where pod != observation.me {
            if let known = local.node(withID: view.myself.id), !known.flags.handshake { continue }
            let (ip, port, busPort) = view.reachableAddress
            if local.isHandshaking(withIP: ip, port: port) { continue }
            actions.append(.meet(on: creator, ip: ip, port: port, busPort: busPort, peer: pod.name))
        }
        return actions.isEmpty ? nil : .act(actions)
    }

    /// nil when `pod`'s node can take part in creating the cluster; otherwise why it cannot.
    func freshness(of pod: PodIdentity, _ view: NodeView, shardByID: [String: Int], matcher: PodMatcher) -> String? {
        let myself = view.myself
        if view.keyCount > 0 { return "\(pod.name) holds \(view.keyCount) keys" }
        if myself.flags.replica { return "\(pod.name) is a replica" }
        if myself.configEpoch == 0 && !(view.isAlone && !myself.ownsSlots) {
            return "\(pod.name) has config epoch 0 but already knows other nodes or serves slots"
        }
        if myself.configEpoch != 0 && myself.configEpoch != pod.shard + 1 {
            return "\(pod.name) has config epoch \(myself.configEpoch), so it has been part of a cluster before"
        }
        for node in view.others {
            switch matcher.identify(node) {
            case .ours: continue
            case .foreign(let hostname): return "\(pod.name) knows \(hostname), a node of another cluster"
            case .undeclared(let podName): return "\(pod.name) knows \(podName), a pod beyond the declaration"
            case .unknown:
                if node.flags.handshake { continue }
                return "\(pod.name) knows node \(node.id.prefix(8)) at \(node.ip):\(node.port), which is no pod of ours"
            }
        }
        for node in view.nodes where node.ownsSlots {
            guard let shard = shardByID[node.id], node.slots.allSatisfy({ $0.isInside(topology.slots(ofShard: shard)) }) else {
                return "\(pod.name) sees node \(node.id.prefix(8)) serving slots no fresh master of ours would have"
            }
        }
        return nil
    }
}
