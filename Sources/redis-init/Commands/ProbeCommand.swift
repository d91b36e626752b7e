import JoinLogic
import Platform
import RESPClient

/// `probe liveness|readiness`, for the kubelet: liveness = the local server answers (a server still
/// loading its data answers too); readiness = the local node serves its shard in a healthy cluster
/// (`Readiness`); a pod beyond the declaration (draining) is ready while its cluster is. Reads the local server only: no DNS, no peers. Exit 0 yes, 1 no; the reason is printed.
enum ProbeCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        guard let kind = arguments.positional.first, kind == "liveness" || kind == "readiness" else {
            throw .usage("probe needs 'liveness' or 'readiness'")
        }
        let settings = try Settings(arguments, needsPod: kind == "readiness", allowsUndeclaredPod: true, environment: environment)
        let connection: RedisConnection
        do {
            connection = try settings.access.connect(settings.localEndpoint, host: settings.localHost)
        } catch {
            if case .authenticationFailed = error { throw .authentication(error.description) }
            printOut("not \(kind == "liveness" ? "live" : "ready"): \(error)")
            return Failure.degraded.exitCode
        }
        if kind == "liveness" {
            do {
                let reply = try connection.send(["PING"])
                if case .error(let message) = reply, !message.hasPrefix("LOADING") {
                    printOut("not live: PING answered \(message)")
                    return Failure.degraded.exitCode
                }
                return 0
            } catch {
                printOut("not live: \(error)")
                return Failure.degraded.exitCode
            }
        }
        do {
            let view = try NodeReader.read(connection, withReplication: true)
            // A pod scaled away keeps serving until it is drained: ready while its cluster is.
            if settings.undeclaredPod != nil {
                guard view.info.isOK else {
                    printOut("not ready: cluster_state is not ok (a pod beyond the declaration, draining)")
                    return Failure.degraded.exitCode
                }
                return 0
            }
            if let problem = Readiness.problem(of: view, as: settings.me!, in: settings.topology) {
                printOut("not ready: \(problem)")
                return Failure.degraded.exitCode
            }
            return 0
        } catch {
            if case .client(.authenticationFailed) = error { throw .authentication(error.description) }
            printOut("not ready: \(error)")
            return Failure.degraded.exitCode
        }
    }
}
