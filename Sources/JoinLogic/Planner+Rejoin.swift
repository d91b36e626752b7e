import Declaration
import Platform

extension Planner {
    /// Repairs that keep a formed cluster's membership true, each safe on its own and to repeat:
    ///
    /// | an entry for a pod | the pod now | action |
    /// |---|---|---|
    /// | local, at an address the pod's name no longer resolves to | answers there with the same node ID | MEET it at its current address |
    /// | on any node seen, failed or `noaddr`, serving no slot (or only slots a shard-mate serves now) | answers under another node ID (it was wiped) | FORGET the old ID on that node |
    /// | on any node seen, `noaddr` or failed, nameless, serving no slot, nobody's master | every pod has a live entry there under another ID | FORGET it on that node |
    /// | on any node seen, failed, serving no slot, nobody's master, a pod beyond the declaration | gone (fewer replicas declared) | FORGET it on that node |
    /// | known here but not knowing this node, or the reverse | - | MEET it (`oneWayAcquaintances`) |
    /// | the local node's own, at an address its name no longer resolves to | a peer lists it at the new one | on that peer: MEET the local node there (`ownAddressRepair`) |
    ///
    /// The pod of an entry comes from its hostname or from this agent's node-ID map, never from a guess.
    /// Every agent forgets a ghost on every node it sees that still lists it, so all nodes forget it
    /// within one check of each other, well inside FORGET's 60 s ban, even a node whose own agent
    /// never knew the old ID (a wiped node that learned it by gossip).
    func repairs(_ observation: Observation, matcher: PodMatcher) -> [Action] {
        let local = observation.local
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        var actions = forgetGhosts(observation, matcher: matcher)
        for node in local.others where !node.flags.handshake {
            guard let pod = matcher.pod(of: node),
                let current = movedAddress(of: node, pod: pod, addresses: observation.addresses),
                let view = observation.view(of: pod), view.myself.id == node.id
            else { continue }
            actions.append(.meet(on: target, ip: current.description, port: Int(pod.port), busPort: view.myself.busPort, peer: pod.name))
        }
        // A moved pod that also half-knows this node is met once, at its new address.
        actions += oneWayAcquaintances(observation).filter { !actions.contains($0) }
        return actions + ownAddressRepair(observation)
    }

    /// A node restarted at a new address with its nodes.conf keeps reporting the old one for itself, in
    /// `CLUSTER NODES` and `CLUSTER SLOTS` too, for good: Redis takes its own address from the socket only
    /// when it receives a MEET (or has no address at all), and peers learn the new one from the connection
    /// instead. So a peer that already
    /// lists the local node at the address its name now gives MEETs it there. Both know each other: this
    /// cannot merge two clusters. With `cluster-announce-ip` set, peers list the announced address, which
    /// is what the node reports: nothing is done.
    func ownAddressRepair(_ observation: Observation) -> [Action] {
        let myself = observation.local.myself
        guard let address = observation.addresses[observation.me.name], myself.reportsAddress(otherThan: address) else {
            return []
        }
        let current = address.description
        for pod in acquaintanceScope(of: observation.me, local: observation.local) where pod != observation.me {
            guard let view = observation.peers[pod.name]?.view, let entry = view.node(withID: myself.id),
                entry.isUsable, entry.ip == current
            else { continue }
            let target = Action.Target(pod: pod, endpoint: view.endpoint)
            return [.meet(on: target, ip: current, port: myself.port, busPort: myself.busPort, peer: observation.me.name)]
        }
        return []
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
        for pod in acquaintanceScope(of: observation.me, local: observation.local) where pod != observation.me {
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

    /// FORGETs, on the local node and on every peer seen, of the ghosts each still lists.
    func forgetGhosts(_ observation: Observation, matcher: PodMatcher) -> [Action] {
        var actions: [Action] = []
        for pod in [observation.me] + topology.pods.filter({ $0 != observation.me }) {
            guard let view = observation.view(of: pod) else { continue }
            let target = Action.Target(pod: pod, endpoint: view.endpoint)
            for node in view.others {
                if let ghostOf = ghostPod(node, in: view, observation, matcher: matcher) {
                    actions.append(.forget(on: target, nodeID: node.id, pod: ghostOf.name))
                } else if isNamelessGhost(node, in: view, matcher: matcher) {
                    actions.append(.forget(on: target, nodeID: node.id, pod: nil))
                } else if let podName = leftBehind(node, in: view, matcher: matcher) {
                    actions.append(.forget(on: target, nodeID: node.id, pod: podName))
                }
            }
        }
        return actions
    }

    /// The pod `node` was, when `view` lists it as the old identity of a pod that is back under another
    /// ID and it may be forgotten there: it is gone (failed, or `noaddr` because a new node took its address,
    /// after which Redis never pings it and so never marks it failed), it serves no slot or only slots a
    /// live shard-mate serves now (forgetting it must unassign nothing that is not served elsewhere), it is
    /// not the viewing node's own master (Redis refuses that), and its pod is certainly back: the pod
    /// answered under another ID, or a live entry of the local node carries the same pod under another ID.
    /// The old ID's pod comes from its hostname or the node-ID map only: the address of a gone node may
    /// belong to another pod by now.
    func ghostPod(_ node: ClusterNode, in view: NodeView, _ observation: Observation, matcher: PodMatcher) -> PodIdentity? {
        guard node.flags.failing || node.flags.noAddress, view.myself.masterID != node.id,
            let pod = matcher.durablePod(of: node),
            !node.ownsSlots || slotsServedByShardMate(of: node, pod: pod, observation, matcher: matcher)
        else { return nil }
        if let now = observation.view(of: pod), now.myself.id != node.id { return pod }
        let successor = observation.local.nodes.first { other in
            other.id != node.id && !other.flags.failing && !other.flags.handshake && matcher.pod(of: other) == pod
        }
        return successor == nil ? nil : pod
    }

    /// The pod `node` is when it is a pod beyond the declaration that is gone and may be forgotten: the
    /// cluster agreed it failed (a deleted pod stays listed, failed, for good), it serves no slot, and no
    /// node follows it. A pod beyond the declaration that still answers is left alone.
    func leftBehind(_ node: ClusterNode, in view: NodeView, matcher: PodMatcher) -> String? {
        guard node.flags.failing, !node.ownsSlots, !view.nodes.contains(where: { $0.masterID == node.id }),
            case .undeclared(let podName) = matcher.identify(node)
        else { return nil }
        return podName
    }

    /// Whether `node` is a ghost no agent can name: `noaddr` (another node answered at its address, after
    /// which Redis never pings, fails or gossips it again, so it stays for good) or failed, with no
    /// hostname and no entry in the node-ID map (the agent that knew its pod may run elsewhere, or lost
    /// its map with a wiped volume: found by scripts/chaos, a replica kept a wiped pod's old ID that only
    /// another shard's agent had known; and by the proving ground, a wiped node learned its own old ID by
    /// gossip, without a hostname). It is nobody's master and serves no slot, so forgetting it loses
    /// nothing; and every declared pod has a live entry in the same view under another ID, so it is no
    /// pod's current node.
    func isNamelessGhost(_ node: ClusterNode, in view: NodeView, matcher: PodMatcher) -> Bool {
        guard node.flags.noAddress || node.flags.failing, node.hostname == nil, !node.ownsSlots, matcher.durablePod(of: node) == nil,
            !view.nodes.contains(where: { $0.masterID == node.id })
        else { return false }
        var accounted = Set<String>()
        for other in view.nodes where other.id != node.id && other.isUsable {
            if let pod = matcher.pod(of: other) { accounted.insert(pod.name) }
        }
        return accounted.count == topology.pods.count
    }

    /// Whether every slot `ghost` still claims is served, in some view seen this pass, by a live master of
    /// its pod's shard under another ID. A node that never heard from the shard's new master keeps the old
    /// claim: a `noaddr` ghost is never pinged, and when the takeover's epoch equals the one the ghost is
    /// remembered with, the new owner's claim never wins there (found by scripts/chaos: a replica kept
    /// routing a shard's slots to a wiped master's old ID). Forgotten, the slots are learned from the new
    /// owner at its next ping.
    func slotsServedByShardMate(of ghost: ClusterNode, pod: PodIdentity, _ observation: Observation, matcher: PodMatcher) -> Bool {
        let owners = observation.allViews.flatMap(\.nodes).filter { owner in
            owner.id != ghost.id && owner.flags.master && owner.isUsable && matcher.pod(of: owner)?.shard == pod.shard
        }
        return ghost.slots.allSatisfy { claimed in owners.contains { owner in owner.slots.contains { claimed.isInside($0) } } }
    }
}
