import Declaration
import Platform

/// The cluster against the declaration, pod by pod: what `status` prints and what its exit code
/// says. Pure: it judges views already read.
public struct ClusterHealth: Sendable {
    /// One pod's line.
    public struct PodReport: Sendable {
        public let pod: PodIdentity
        /// The address its name resolved to.
        public let address: IPAddress?
        /// Its node ID, when it answered.
        public let nodeID: String?
        /// `master`, `replica`, or `-` when unknown.
        public let role: String
        /// For a replica, the pod (or node) it replicates.
        public let following: String?
        /// The slots it serves.
        public let slots: [SlotRange]
        /// For a replica, whether `master_link_status` is up.
        public let linkUp: Bool?
        /// What is wrong with it; empty when it serves its place.
        public let problems: [String]
    }

    /// A pod beyond the declaration that the cluster still lists (a shard or replica scaled away).
    public struct LeavingReport: Equatable, Sendable {
        public let podName: String
        public let nodeID: String
        /// The slots it still serves: moved away by the creator's agent.
        public let slotCount: Int
        /// Whether the cluster agreed it failed (its pod is gone).
        public let failing: Bool

        /// `draining` while it serves slots; `drained` once it serves none (its pods may be deleted);
        /// `gone` once deleted, until every node forgets it.
        public var state: String { slotCount > 0 ? "draining" : failing ? "gone" : "drained" }
    }

    /// Every declared pod, in declaration order.
    public let pods: [PodReport]
    /// The pods beyond the declaration still listed, by pod name.
    public let leaving: [LeavingReport]

    /// Healthy when no pod has a problem.
    public var isHealthy: Bool { pods.allSatisfy { $0.problems.isEmpty } }

    /// Judges every pod. `states` holds each pod's read, by pod name; `addresses` what names resolved to.
    public static func assess(topology: Topology, states: [String: PeerState], addresses: [String: IPAddress]) -> ClusterHealth {
        let matcher = PodMatcher(topology: topology, addresses: addresses)
        // The node ID of each shard's master: the pod of the shard that serves slots, its designated master
        // first (pods come ordinal 0 first) when another one serves too, re-mapped by the ordinal layout.
        var masterIDByShard: [Int: String] = [:]
        for pod in topology.pods where masterIDByShard[pod.shard] == nil {
            if let view = states[pod.name]?.view, view.myself.flags.master, view.myself.ownsSlots {
                masterIDByShard[pod.shard] = view.myself.id
            }
        }
        let balanced = SlotRange.slotCount / topology.shards
        var leaving: [String: LeavingReport] = [:]
        for view in topology.pods.compactMap({ states[$0.name]?.view }) {
            for node in view.nodes {
                guard case .undeclared(let podName) = matcher.identify(node) else { continue }
                let report = LeavingReport(podName: podName, nodeID: node.id, slotCount: node.slotCount, failing: node.flags.failing)
                // Slots only leave it: the view that saw it serve the fewest is the latest; failed if any says so.
                if let known = leaving[podName] {
                    leaving[podName] = LeavingReport(
                        podName: podName, nodeID: node.id, slotCount: min(known.slotCount, report.slotCount),
                        failing: known.failing || report.failing)
                } else {
                    leaving[podName] = report
                }
            }
        }
        var nameByID: [String: String] = [:]
        var shardByID: [String: Int] = [:]
        var isReplicaByID: [String: Bool] = [:]
        var ownIPByID: [String: String] = [:]
        for pod in topology.pods {
            if let myself = states[pod.name]?.view?.myself {
                nameByID[myself.id] = pod.name
                shardByID[myself.id] = pod.shard
                isReplicaByID[myself.id] = myself.flags.replica
                if !myself.ip.isEmpty { ownIPByID[myself.id] = myself.ip }
            }
        }

        let reports = topology.pods.map { pod -> PodReport in
            guard let state = states[pod.name], let view = state.view else {
                let problem: String
                switch states[pod.name] {
                case .unresolved(let reason)?: problem = "not resolvable: \(reason)"
                case .unreachable(_, let reason)?: problem = "not answering: \(reason)"
                default: problem = "not checked"
                }
                return PodReport(
                    pod: pod, address: addresses[pod.name], nodeID: nil, role: "-", following: nil, slots: [], linkUp: nil,
                    problems: [problem])
            }
            var problems: [String] = []
            let myself = view.myself
            if !view.info.isOK { problems.append("cluster_state is fail") }
            let settled = view.nodes.filter { !$0.flags.handshake }
            if settled.count != topology.pods.count {
                problems.append("knows \(settled.count) of \(topology.pods.count) nodes")
            }
            for node in view.others {
                let name = matcher.pod(of: node)?.name ?? nameByID[node.id] ?? "node \(node.id.prefix(8))"
                if node.flags.failing {
                    problems.append("sees \(name) as failed")
                } else if node.flags.suspectedFailing {
                    problems.append("suspects \(name) (fail?)")
                } else if node.flags.handshake {
                    problems.append("still in handshake with \(node.ip):\(node.port)")
                } else if node.flags.noAddress {
                    problems.append("has no address for \(name)")
                }
                switch matcher.identify(node) {
                case .foreign(let hostname): problems.append("knows \(hostname), which is not declared")
                case .undeclared(let podName): problems.append("knows \(podName), a pod beyond the declaration")
                case .ours, .unknown: break
                }
                // Gossip tells a node that another exists, not whom a replica follows: until their first
                // direct exchange the entry has no master and no link. Not healthy yet.
                if !node.flags.handshake && !node.linkConnected { problems.append("has no bus link to \(name) yet") }
                // A node lists another at the address it last heard it from: after a move, an old one until a
                // MEET or a PING corrects it (and hands it to clients). The node's own word is compared, not
                // DNS: with cluster-announce-ip both sides show the announced address. A node restarted
                // elsewhere that still reports its old address shows here too, on the peers that found it.
                if !node.flags.handshake, !node.flags.noAddress, let own = ownIPByID[node.id], !node.ip.isEmpty, node.ip != own {
                    problems.append("lists \(name) at \(node.ip), where it reports itself at \(own)")
                }
                // A node that was briefly a master (met before it replicated) is shown as one by the others
                // until its next PING: its own word on its role is the truth to agree with.
                if let isReplica = isReplicaByID[node.id], !node.flags.handshake, isReplica != node.flags.replica {
                    problems.append("sees \(name) as \(node.flags.replica ? "a replica" : "a master"), which it no longer is")
                }
                if node.flags.replica, let shard = shardByID[node.id], node.masterID != masterIDByShard[shard] {
                    let master = node.masterID.map { nameByID[$0] ?? "node \($0.prefix(8))" } ?? "nobody yet"
                    problems.append("sees \(name) replicating \(master)")
                }
            }
            let expectedMaster = masterIDByShard[pod.shard]
            var following: String? = nil
            if myself.flags.master {
                if myself.ownsSlots {
                    // Any map counts as long as it is balanced: after a scale change, ranges are not a fresh split.
                    let count = myself.slotCount
                    if expectedMaster != myself.id {
                        problems.append(
                            "serves \(count) slots, but shard \(pod.shard), where the declaration puts this pod, has its master: "
                                + "they move to the others, then this pod follows it")
                    } else if count != balanced && count != balanced + 1 {
                        problems.append(
                            "serves \(count) slots, not \(balanced) or \(balanced + 1) (\(topology.shards) shards balanced): slots are "
                                + "still to move")
                    }
                    if let open = myself.migrating.keys.min() ?? myself.importing.keys.min() {
                        problems.append("has slot \(open) open (a move under way or interrupted)")
                    }
                } else {
                    problems.append("is a master without slots, not a replica of shard \(pod.shard)'s master")
                }
            } else if let masterID = myself.masterID {
                following = nameByID[masterID] ?? "node \(masterID.prefix(8))"
                if expectedMaster == nil {
                    problems.append("shard \(pod.shard) has no master serving its slots")
                } else if masterID != expectedMaster {
                    problems.append("replicates \(following!), not shard \(pod.shard)'s master")
                }
                if view.replication?.linkUp == false { problems.append("replication link is down (sync not finished)") }
            }
            return PodReport(
                pod: pod, address: addresses[pod.name], nodeID: myself.id, role: myself.flags.master ? "master" : "replica",
                following: following, slots: myself.slots, linkUp: myself.flags.replica ? view.replication?.linkUp : nil,
                problems: problems)
        }
        return ClusterHealth(pods: reports, leaving: leaving.keys.sorted().map { leaving[$0]! })
    }
}
