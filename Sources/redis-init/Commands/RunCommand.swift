import Declaration
import Glibc

/// Exit code recorded by the agent thread when it hits a failure no retry can cure; the server is
/// then stopped and the process exits with this code instead of the server's.
nonisolated(unsafe) private var agentFailureCode: Int32 = 0

/// `run -- redis-server ...`: start the server with cluster mode added, form or join the cluster
/// from a background thread, forward signals (the first SIGTERM after a handover: `HandoverRunner`),
/// reap children, exit with the server's status.
enum RunCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        guard !arguments.serverCommand.isEmpty else {
            throw .usage(
                "run needs the server command after '--', e.g. redis-init run --shards 3 ... -- redis-server /etc/redis/redis.conf")
        }
        let settings = try Settings(arguments, needsPod: true, allowsUndeclaredPod: true, environment: environment)
        if let podName = settings.undeclaredPod { return try serveUndeclared(podName, arguments, settings) }
        let agent = Agent(settings: settings, me: settings.me!, mode: .service, serverHeld: true)
        // Appended last so they win over a config file that says otherwise. Full syncs are held until the
        // agent knows this node's place (SyncHold): a wiped node must not sync its emptiness to a replica.
        let command = arguments.serverCommand + ["--cluster-enabled", "yes"] + SyncHoldKeeper.heldServerArguments
        ServerProcess.forwardSignals()
        let pid = try ServerProcess.spawn(command)
        settings.log.info("started \(arguments.serverCommand[0]) (pid \(pid))")
        startThread {
            do {
                try agent.runForever()
            } catch {
                let failure = error as? Failure ?? .configuration("\(error)")
                settings.log.error("\(failure); stopping the server")
                agentFailureCode = failure.exitCode
                ServerProcess.terminate()
            }
        }
        handOverOnSIGTERM(settings, me: settings.me!)
        let status = ServerProcess.waitForExit(of: pid)
        settings.log.info("\(arguments.serverCommand[0]) exited with status \(status)")
        return agentFailureCode != 0 ? agentFailureCode : status
    }

    /// A pod of the same StatefulSets that the declaration no longer names (a shrunk declaration) may
    /// still serve slots nothing else serves: its server runs as it is, the agent does nothing, and says
    /// so (docs/DESIGN.md, "Changing the declaration"). Exiting would take those slots down.
    static func serveUndeclared(_ podName: String, _ arguments: ParsedArguments, _ settings: Settings) throws(Failure) -> Int32 {
        ServerProcess.forwardSignals()
        let pid = try ServerProcess.spawn(arguments.serverCommand + ["--cluster-enabled", "yes"])
        settings.log.warning(
            "\(podName) is not part of the declared layout (\(settings.topology.shards) shards of \(settings.topology.replicas + 1) pods): "
                + "started \(arguments.serverCommand[0]) (pid \(pid)) as it is; this agent changes nothing. In the shards layout the "
                + "creator's agent moves its slots away; delete the pod once `redis-init status` shows it drained.")
        startThread { DrainReport.follow(podName, settings) }
        // Still serving slots while it drains: a SIGTERM hands them to its replica first, as for any master.
        if let me = settings.topology.undeclaredPod(named: podName) { handOverOnSIGTERM(settings, me: me) }
        let status = ServerProcess.waitForExit(of: pid)
        settings.log.info("\(arguments.serverCommand[0]) exited with status \(status)")
        return status
    }

    /// The first SIGTERM (a pod stopping) hands the node's slots over before it reaches the server.
    static func handOverOnSIGTERM(_ settings: Settings, me: PodIdentity) {
        guard settings.handoverTimeout > 0 else { return }
        startThread {
            ServerProcess.awaitTermination()
            settings.log.info("SIGTERM: handing over before the server stops (at most \(Int(settings.handoverTimeout)) s)")
            settings.log.report(HandoverRunner.run(settings: settings, me: me))
            ServerProcess.terminate()
        }
    }
}
