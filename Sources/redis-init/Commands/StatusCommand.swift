import Declaration
import JoinLogic
import NodeFinder
import Platform
import RESPClient

/// `status`: reads every declared pod and judges the cluster against the declaration.
/// Exit 0 when healthy, 1 when degraded, 2 on a usage or configuration error.
enum StatusCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: false, environment: environment)
        let resolver = Resolver.system(nameserver: settings.nameserver, maxTimeout: settings.timeout)
        var states: [String: PeerState] = [:]
        var addresses: [String: IPAddress] = [:]
        for pod in settings.topology.pods {
            switch resolver.addresses(of: pod.lookupName) {
            case .failure(let error):
                states[pod.name] = .unresolved(error.description)
            case .success(let found):
                addresses[pod.name] = found[0]
                let endpoint = Endpoint(found[0], pod.port)
                do {
                    let connection = try settings.access.connect(endpoint, host: pod.host)
                    states[pod.name] = .observed(try NodeReader.read(connection, withReplication: true))
                } catch {
                    if case RedisClientError.authenticationFailed = error { throw .authentication("\(error)") }
                    if case NodeReader.ReadError.client(.authenticationFailed) = error { throw .authentication("\(error)") }
                    states[pod.name] = .unreachable(endpoint, "\(error)")
                }
            }
        }
        let health = ClusterHealth.assess(topology: settings.topology, states: states, addresses: addresses)
        printOut(settings.json ? render(json: health) : render(table: health))
        return health.isHealthy ? 0 : Failure.degraded.exitCode
    }

    static func render(table health: ClusterHealth) -> String {
        var rows: [[String]] = [["POD", "SHARD", "ADDRESS", "ROLE", "NODE", "SLOTS/MASTER", "STATE"]]
        for report in health.pods {
            let detail = report.role == "replica" ? "-> \(report.following ?? "?")" : report.slots.map(\.description).joined(separator: ",")
            rows.append([
                report.pod.name, "\(report.pod.shard)", report.address.map { "\($0)" } ?? "-", report.role,
                report.nodeID.map { String($0.prefix(8)) } ?? "-", detail.isEmpty ? "-" : detail,
                report.problems.isEmpty ? "ok" : report.problems.joined(separator: "; "),
            ])
        }
        var text = table(rows)
        if !health.leaving.isEmpty {
            // Pods scaled away: delete their StatefulSet (or let the single one scale down) once every one is drained.
            var leaving: [[String]] = [["LEAVING POD", "NODE", "SLOTS", "STATE"]]
            for report in health.leaving {
                leaving.append([report.podName, String(report.nodeID.prefix(8)), "\(report.slotCount)", report.state])
            }
            text += "\n\n" + table(leaving)
        }
        return text + "\n" + (health.isHealthy ? "healthy" : "degraded")
    }

    static func render(json health: ClusterHealth) -> String {
        let pods = health.pods.map { report -> JSON in
            .object([
                ("pod", .string(report.pod.name)), ("shard", .number(report.pod.shard)), ("ordinal", .number(report.pod.ordinal)),
                ("address", report.address.map { .string("\($0)") } ?? .null), ("role", .string(report.role)),
                ("node_id", report.nodeID.map(JSON.string) ?? .null), ("following", report.following.map(JSON.string) ?? .null),
                ("slots", .array(report.slots.map { .string($0.description) })),
                ("link_up", report.linkUp.map(JSON.bool) ?? .null),
                ("problems", .array(report.problems.map(JSON.string))),
            ])
        }
        let leaving = health.leaving.map { report -> JSON in
            .object([
                ("pod", .string(report.podName)), ("node_id", .string(report.nodeID)), ("slots", .number(report.slotCount)),
                ("state", .string(report.state)),
            ])
        }
        return JSON.object([("healthy", .bool(health.isHealthy)), ("pods", .array(pods)), ("leaving", .array(leaving))]).rendered
    }
}
