import JoinLogic
import Declaration
import NodeFinder
import Platform
import RESPClient

/// The loop that runs for one pod: observe the local node and the peers the planner asks for,
/// plan, act, and observe again. It keeps going after convergence, at a slower pace, so later
/// changes (a peer restarted elsewhere) are seen too.
final class Agent: @unchecked Sendable {
    let settings: Settings
    let me: PodIdentity
    private let planner: Planner
    private let pool: ConnectionPool
    private let addresses: AddressBook
    private var log: Log { settings.log }
    private var hostnameAnnounced = false
    private let nodeIDs: NodeIDMapFile
    private let syncHold: SyncHoldKeeper
    private let quarantine: PeerQuarantine
    private var restored = RestoredEntries()
    /// Since when the planner has been waiting for a failover, for `--failover-timeout`.
    private var awaitingFailoverSince: Deadline? = nil
    private var lastProgress: (text: String, at: Deadline)? = nil
    private var lastDecision: Decision? = nil
    /// The last actions performed, and until when the same list is not sent again: Redis needs a moment
    /// to show their effect (a handshake, an election), and repeating them can only get in its way.
    private var settling: (actions: [Action], until: Deadline)? = nil
    private static let settleSeconds = 2.0
    /// Whether the local node's picture was complete at the last observation (`Planner.isSettled`).
    private var pictureSettled = true
    /// How long after its node first converged the agent keeps looking at a wait's pace while that node's
    /// picture is not complete (`Planner.isSettled`); past that (a pod down for good), every --interval.
    /// Only the first time: when a pod elsewhere restarts later, every agent at that pace would ask the
    /// joining node for MEETs while its own handshakes are under way (measured, a wiped master rejoining
    /// a 3x1 cluster: a handshake entry left on it until node-timeout, healthy after 3.6 s, not 1.2 s).
    static let unsettledWindowSeconds = 10.0
    /// How long a refusal must stand, before the node ever joined, for `run` to stop with it.
    static let refusalGraceSeconds = 10.0

    /// `serverHeld`: `run` started the server holding full syncs (`SyncHold`).
    init(settings: Settings, me: PodIdentity, serverHeld: Bool = false) {
        self.settings = settings
        self.me = me
        planner = Planner(topology: settings.topology, allowSlotTakeover: settings.allowSlotTakeover)
        pool = ConnectionPool(timeout: settings.timeout, credentials: settings.credentials)
        addresses = AddressBook(resolver: Resolver.system(nameserver: settings.nameserver, maxTimeout: settings.timeout), log: settings.log)
        nodeIDs = NodeIDMapFile(nodesConf: settings.nodesConf, log: settings.log)
        quarantine = PeerQuarantine(log: settings.log)
        syncHold = SyncHoldKeeper(
            held: serverHeld, declaredReplicas: settings.topology.replicas, normalDelay: settings.syncDelay, log: settings.log)
    }

    /// Passes forever. Returns only by throwing a failure that no later pass can cure: a wrong
    /// password, a server without cluster mode, or a refusal that stood for 10 s before this node ever
    /// joined (a foreign nodes.conf, a shard with no live owner), which a restart with the fix named
    /// cures. A refusal after the node has joined is reported every check and the server keeps serving.
    func runForever() throws(Failure) -> Never {
        var joined = false
        var refusingSince: Deadline? = nil
        var waits = 0
        var firstConverged: Deadline? = nil
        log.info("agent for \(me.name): shard \(me.shard), ordinal \(me.ordinal) (\(me.isDesignatedMaster ? "designated master" : "replica")), cluster of \(settings.topology.shards)x\(settings.topology.replicas)")
        while true {
            let started = Deadline.now()
            let decision = try pass()
            let took = Deadline.now().seconds(since: started)
            if took > 5 {
                log.warning("one check of the cluster took \(Int(took)) s: DNS or peers are slow to answer (see the lines above)")
            }
            if decision == .converged {
                joined = true
                firstConverged = firstConverged ?? .now()
            }
            if case .refuse(let reason) = decision, !joined {
                // Only a refusal that stands for a while ends the pod: nothing seen for a moment should.
                let since = refusingSince ?? .now()
                refusingSince = since
                if Deadline.now().seconds(since: since) >= Agent.refusalGraceSeconds { throw .refused(reason) }
                sleep(seconds: 1)
                continue
            }
            refusingSince = nil
            switch decision {
            case .act:
                waits = 0
                sleep(seconds: 0.02)
            case .wait, .awaitFailover:
                // Waits that go on are usually Redis converging on its own: look less often (0.1 s
                // rising to 0.3 s), so a hundred agents leave the CPU to the servers.
                waits += 1
                sleep(seconds: Agent.waitPace(waits))
            case .converged where !pictureSettled && !firstConverged!.adding(seconds: Agent.unsettledWindowSeconds).hasPassed:
                // Its node is ok but still learning the cluster, and only this agent makes the last
                // introductions and asks for it: the wait's pace, but about 100 such passes a second for
                // the whole cluster at most (1 s at 100 pods), where most entries fill in by gossip and
                // the agents' reads take CPU from it (at 50x1, 0.5 s a pass was slower than 1 s).
                waits += 1
                let pace = max(Agent.waitPace(waits), 0.01 * Double(settings.topology.pods.count))
                sleep(seconds: min(pace, settings.interval))
            case .converged, .refuse:
                waits = 0
                sleep(seconds: settings.interval)
            }
        }
    }

    /// Seconds between the checks of a wait that has gone on for `waits` checks: 0.1 s rising to 0.3 s.
    static func waitPace(_ waits: Int) -> Double { min(0.1 + 0.02 * Double(waits), 0.3) }

    /// One observe -> plan -> act round. A local node that does not answer yet is a wait; a wait for a
    /// failover that outlasts --failover-timeout becomes a refusal.
    func pass() throws(Failure) -> Decision {
        defer { pool.closeUnused() }
        var decision: Decision
        switch try observe() {
        case .localNotAnswering(let reason): decision = .wait(reason)
        case .observed(let observation):
            decision = planner.plan(observation)
            pictureSettled = planner.isSettled(observation.local)
        }
        if case .awaitFailover(let reason) = decision {
            let since = awaitingFailoverSince ?? .now()
            awaitingFailoverSince = since
            if Deadline.now().seconds(since: since) >= settings.failoverTimeout {
                decision = .refuse(
                    "no failover within \(Int(settings.failoverTimeout)) s (--failover-timeout): \(reason). No replica of the "
                        + "shard took over: check them with 'redis-cli cluster nodes' (a replica too long disconnected is not "
                        + "promoted, see cluster-replica-validity-factor). This node holds no data; restarting it retries.")
            }
        } else {
            awaitingFailoverSince = nil
        }
        if case .act(let actions) = decision, let settling, settling.actions == actions, !settling.until.hasPassed {
            let waiting = Decision.wait("waiting for \(actions.map(\.description).joined(separator: ", ")) to take effect")
            report(waiting)
            return waiting
        }
        report(decision)
        if case .act(let actions) = decision {
            execute(actions)
            settling = (actions, .after(seconds: Agent.settleSeconds))
        }
        return decision
    }

    /// What a pass could see: everything, or not even the local server (it may still be starting).
    private enum Sight {
        case observed(Observation)
        case localNotAnswering(String)
    }

    /// Reads the local node and the peers in scope. Throws only what no later pass can cure.
    private func observe() throws(Failure) -> Sight {
        let strings = StringPool()
        let local: NodeView
        do {
            local = try pool.with(settings.localEndpoint) { connection in
                announceHostname(connection)
                nodeIDs.locate(using: connection)
                let view = try NodeReader.read(connection, withReplication: true, pool: strings)
                restored.record(view)
                syncHold.update(view, connection)
                return view
            }
        } catch let error as NodeReader.ReadError {
            switch error {
            case .clusterDisabled: throw .configuration(error.description)
            case .client(.authenticationFailed): throw .authentication(error.description)
            default: return .localNotAnswering("waiting for the local redis-server: \(error)")
            }
        } catch {
            if case RedisClientError.authenticationFailed = error { throw .authentication("\(error)") }
            return .localNotAnswering("waiting for the local redis-server at \(settings.localEndpoint): \(error)")
        }

        var resolved: [String: IPAddress] = [:]
        var unresolved: [String: ResolveError] = [:]
        func lookUp(_ pod: PodIdentity) {
            guard resolved[pod.name] == nil, unresolved[pod.name] == nil else { return }
            switch addresses.address(of: pod) {
            case .success(let address): resolved[pod.name] = address
            case .failure(let error): unresolved[pod.name] = error
            }
        }
        lookUp(me)
        planner.namesToResolve(for: me, local: local, myAddress: resolved[me.name], nodeIDs: nodeIDs.map, restored: restored.unconfirmed)
            .forEach(lookUp)
        var peers: [String: PeerState] = [:]
        for pod in planner.podsToObserve(for: me, local: local, addresses: resolved, nodeIDs: nodeIDs.map) {
            lookUp(pod)
            guard let address = resolved[pod.name] else {
                peers[pod.name] = .unresolved(unresolved[pod.name]!.description)
                continue
            }
            let endpoint = Endpoint(address, pod.port)
            if let reason = quarantine.reasonToSkip(endpoint) {
                peers[pod.name] = .unreachable(endpoint, reason)
                continue
            }
            do {
                let view = try pool.with(endpoint) { try NodeReader.read($0, withReplication: false, pool: strings) }
                peers[pod.name] = .observed(view)
                quarantine.record(pod, at: endpoint, error: nil)
            } catch {
                peers[pod.name] = .unreachable(endpoint, "\(error)")
                quarantine.record(pod, at: endpoint, error: error)
                addresses.forget(pod)
            }
        }
        var observation = Observation(me: me, local: local, peers: peers, addresses: resolved, nodeIDs: nodeIDs.map)
        if nodeIDs.learn(from: observation, topology: settings.topology) {
            observation = Observation(me: me, local: local, peers: peers, addresses: resolved, nodeIDs: nodeIDs.map)
        }
        restored.confirm(observation, topology: settings.topology)
        return .observed(observation)
    }

    /// Redis 7+ carries `cluster-announce-hostname` in gossip: a node ID -> pod mapping that survives
    /// IP changes. Older servers do not know the option; nodes are then matched by address.
    private func announceHostname(_ connection: RedisConnection) {
        guard !hostnameAnnounced else { return }
        guard IPAddress(me.host) == nil else {
            hostnameAnnounced = true
            return
        }
        do {
            try connection.command("CONFIG", "SET", "cluster-announce-hostname", me.host)
            hostnameAnnounced = true
        } catch {
            // A server still loading its data takes only CONFIG GET: ask again on the next pass.
            if let message = error.serverMessage, message.contains("loading") || message.hasPrefix("LOADING") { return }
            hostnameAnnounced = true
            log.info("the server does not take cluster-announce-hostname (\(error)); nodes are matched to pods by the node-ID map and address")
        }
    }

    private func execute(_ actions: [Action]) {
        // Who was introduced to whom in this list: a REPLICATE of a node just met waits for that handshake.
        var introduced: Set<Introduction> = []
        for group in Agent.roundTrips(actions) {
            for action in group { log.info(action.description) }
            do {
                try pool.with(group[0].target.endpoint) { connection in
                    if group.count == 1 {
                        try perform(group[0], on: connection, introduced: introduced)
                    } else {
                        // The first refusal is thrown (the others were performed), as `command` would.
                        try connection.commands(group.map(Agent.meetCommand))
                    }
                }
            } catch {
                log.warning("could not \(group.count == 1 ? group[0].description : "introduce \(group.count) nodes"): \(error); will look again")
                return
            }
            for case .meet(let target, _, _, _, let peer) in group { introduced.insert(Introduction(node: target.pod.name, peer: peer)) }
        }
    }

    /// The actions as the round trips that carry them: MEETs in a row on one server together (at 50x1 a
    /// busy server took about 40 ms a round trip, and an agent sending 80 MEETs one by one spent 3 s),
    /// anything else alone.
    private static func roundTrips(_ actions: [Action]) -> [[Action]] {
        var trips: [[Action]] = []
        for action in actions {
            if case .meet = action, let last = trips.last?.last, case .meet = last, last.target.endpoint == action.target.endpoint {
                trips[trips.count - 1].append(action)
            } else {
                trips.append([action])
            }
        }
        return trips
    }

    /// `CLUSTER MEET ip port [busPort]`; the bus-port argument exists from Redis 7 on, so it is left out
    /// where it is the default.
    private static func meetCommand(_ action: Action) -> [String] {
        guard case .meet(_, let ip, let port, let busPort, _) = action else { preconditionFailure("not a MEET: \(action)") }
        var arguments = ["CLUSTER", "MEET", ip, String(port)]
        if busPort != port + 10000 && busPort > 0 { arguments.append(String(busPort)) }
        return arguments
    }

    /// A MEET performed: `peer` introduced to `node`'s server.
    private struct Introduction: Hashable {
        let node: String
        let peer: String
    }

    private func perform(_ action: Action, on connection: RedisConnection, introduced: Set<Introduction>) throws {
        switch action {
        case .setConfigEpoch(_, let epoch):
            try connection.command("CLUSTER", "SET-CONFIG-EPOCH", String(epoch))
        case .addSlots(_, let ranges):
            let reply = try connection.send(["CLUSTER", "ADDSLOTSRANGE"] + ranges.flatMap { [String($0.lower), String($0.upper)] })
            guard case .error(let message) = reply else { return }
            guard message.lowercased().contains("unknown subcommand") else {
                throw RedisClientError.server(command: "CLUSTER ADDSLOTSRANGE", message: message, peer: connection.endpoint)
            }
            // Redis 6.2 has no ADDSLOTSRANGE: send the slots themselves, in batches.
            log.info("\(action.target) has no CLUSTER ADDSLOTSRANGE (Redis < 7.0); assigning the slots with ADDSLOTS")
            let slots = ranges.flatMap { Array($0.lower...$0.upper) }
            for start in stride(from: 0, to: slots.count, by: 2000) {
                try connection.command(["CLUSTER", "ADDSLOTS"] + slots[start..<min(start + 2000, slots.count)].map(String.init))
            }
        case .meet:
            try connection.command(Agent.meetCommand(action))
        case .replicate(let target, let masterID, let master):
            if introduced.contains(Introduction(node: target.pod.name, peer: master)) {
                try HandshakeWait.untilKnown(masterID, master: master, on: connection)
            }
            try connection.command("CLUSTER", "REPLICATE", masterID)
        case .forget(_, let nodeID, _):
            // Another agent may have forgotten it there first: the goal is reached either way.
            let reply = try connection.send(["CLUSTER", "FORGET", nodeID])
            if case .error(let message) = reply, !message.contains("Unknown node") {
                throw RedisClientError.server(command: "CLUSTER FORGET", message: message, peer: connection.endpoint)
            }
        case .takeOver:
            try connection.command("CLUSTER", "FAILOVER", "TAKEOVER")
        }
    }

    /// Progress lines: each new wait reason at once, the same one again every 10 s; refusals every
    /// check; convergence once per change.
    private func report(_ decision: Decision) {
        defer { lastDecision = decision }
        switch decision {
        case .wait(let text), .awaitFailover(let text):
            if let last = lastProgress, last.text == text, !Deadline(nanoseconds: last.at.nanoseconds).adding(seconds: 10).hasPassed {
                return
            }
            lastProgress = (text, .now())
            log.info(text)
        case .refuse(let text):
            log.error("refusing to act: \(text)")
        case .converged:
            if lastDecision != .converged { log.info("converged: \(role()) in a healthy cluster") }
            lastProgress = nil
        case .act:
            lastProgress = nil
        }
    }

    private func role() -> String {
        "\(me.name) (shard \(me.shard) \(me.isDesignatedMaster ? "designated master" : "designated replica"))"
    }
}
