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
        let settings = try Settings(arguments, needsPod: true, environment: environment)
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
        // The first SIGTERM (a pod stopping) hands the node's slots over before it reaches the server.
        if settings.handoverTimeout > 0 {
            startThread {
                ServerProcess.awaitTermination()
                settings.log.info("SIGTERM: handing over before the server stops (at most \(Int(settings.handoverTimeout)) s)")
                settings.log.report(HandoverRunner.run(settings: settings, me: settings.me!))
                ServerProcess.terminate()
            }
        }
        let status = ServerProcess.waitForExit(of: pid)
        settings.log.info("\(arguments.serverCommand[0]) exited with status \(status)")
        return agentFailureCode != 0 ? agentFailureCode : status
    }
}
