import Declaration
import JoinLogic
import Platform

/// The loop that runs for one pod: set up, observe, plan, let the state machine apply its timing rules,
/// act, and again, until the state machine ends it. Each stage is its own type: `LocalSetup`, `Observer`,
/// `Planner`, `AgentStateMachine`, `Executor`.
final class Agent: @unchecked Sendable {
    let settings: Settings
    let me: PodIdentity
    private let planner: Planner
    private let pool: ConnectionPool
    private let nodeIDs: NodeIDMapFile
    private let setup: LocalSetup
    private let observer: Observer
    private let executor: Executor
    private let syncHold: SyncHoldKeeper
    private let tlsReload: TLSReloader
    private var machine: AgentStateMachine
    private var log: Log { settings.log }

    /// `mode`: `.service` for run and sidecar, `.untilConverged` for rejoin. `serverHeld`: `run` started
    /// the server (holding full syncs, `SyncHold`) in this container, whose memory limit is the server's.
    init(settings: Settings, me: PodIdentity, mode: AgentStateMachine.Mode, serverHeld: Bool = false) {
        self.settings = settings
        self.me = me
        planner = Planner(topology: settings.topology, allowSlotTakeover: settings.allowSlotTakeover)
        pool = ConnectionPool(
            access: settings.access, local: (settings.localEndpoint, me.host),
            clientName: AgentRoster.clientName(pod: me.name, topology: settings.topology))
        nodeIDs = NodeIDMapFile(nodesConf: settings.nodesConf, log: settings.log)
        setup = LocalSetup(
            me: me, localEndpoint: settings.localEndpoint, pool: pool, nodeIDs: nodeIDs,
            maxMemoryPercent: serverHeld ? settings.maxMemoryPercent : 0, log: settings.log)
        observer = Observer(settings: settings, me: me, planner: planner, pool: pool, nodeIDs: nodeIDs)
        executor = Executor(pool: pool, log: settings.log, mover: LegacySlotMover(settings: settings))
        tlsReload = TLSReloader(
            local: Action.Target(pod: me, endpoint: settings.localEndpoint), pool: pool, enabled: settings.tls != nil, log: settings.log)
        syncHold = SyncHoldKeeper(
            held: serverHeld, declaredReplicas: settings.topology.replicas, normalDelay: settings.syncDelay, log: settings.log)
        machine = AgentStateMachine(
            mode: mode, pod: me, podCount: settings.topology.pods.count, interval: settings.interval,
            failoverTimeout: settings.failoverTimeout)
    }

    /// Passes until the state machine ends the loop. Throws only what no later pass can cure: a wrong
    /// password, a server without cluster mode.
    func run() throws(Failure) -> AgentStateMachine.Ending {
        let layout = "cluster of \(settings.topology.shards)x\(settings.topology.replicas)"
        log.info(
            "agent for \(me.name): shard \(me.shard), ordinal \(me.ordinal) (\(me.isDesignatedMaster ? "designated master" : "replica")), \(layout)"
        )
        while true {
            let started = Deadline.now()
            let next = try pass()
            if let warning = AgentStateMachine.slowPassWarning(seconds: Deadline.now().seconds(since: started)) { log.warning(warning) }
            switch next {
            case .pause(let seconds): sleep(seconds: seconds)
            case .end(let ending): return ending
            }
        }
    }

    /// `run` and `sidecar` (mode `.service`): passes for good. Ends only by throwing: what `run()` throws,
    /// or a refusal that stood before the node ever converged, which a restart with the fix named cures.
    func runForever() throws(Failure) -> Never {
        let ending = try run()
        guard case .refused(let reason) = ending else { preconditionFailure("a service's loop ended \(ending)") }
        throw .refused(reason)
    }

    /// One pass: set up, observe, keep the agent's own state, plan, time, act.
    private func pass() throws(Failure) -> AgentStateMachine.Next {
        defer { pool.closeUnused() }
        setup.run(executor)
        tlsReload.run(executor)
        let planned: Decision
        var settled = true
        switch try observer.observe() {
        case .localNotAnswering(let reason): planned = .wait(reason)
        case .observed(let observation):
            nodeIDs.saveIfChanged()
            syncHold.update(observation.local, as: Action.Target(pod: me, endpoint: settings.localEndpoint), executor)
            planned = planner.plan(observation)
            settled = planner.isSettled(observation.local)
        }
        let step = machine.step(planned, settled: settled, now: .now())
        for line in step.lines { log.report(line) }
        executor.execute(step.actions)
        return step.next
    }
}

extension Log {
    /// Logs a line of the state machine's at its level.
    func report(_ line: AgentStateMachine.Line) {
        switch line {
        case .info(let text): info(text)
        case .warning(let text): warning(text)
        case .error(let text): error(text)
        }
    }
}
