import JoinLogic
import Platform
import RESPClient

/// For a pod beyond the declaration: its server announces the pod's hostname again (the setting lives
/// in memory, and without it no node could tell the pod from a stranger, nor `status` show it leaving),
/// and a line comes whenever the slots it serves change, so its log says when it is drained and may be
/// deleted. Nothing else is sent.
enum DrainReport {
    static func follow(_ podName: String, _ settings: Settings) {
        let topology = settings.topology
        let hostname = "\(podName).\(topology.service).\(topology.namespace).svc.\(topology.clusterDomain)"
        var announced = topology.layout == .static
        var last: Int? = nil
        while true {
            sleep(seconds: max(settings.interval, 1))
            guard
                let connection = try? settings.access.connect(settings.localEndpoint, host: hostname)
            else { continue }
            if !announced {
                do {
                    try connection.command("CONFIG", "SET", "cluster-announce-hostname", hostname)
                    announced = true
                } catch {
                    // A server still loading its data is asked again; Redis 6.2 has no such setting (its nodes
                    // are told apart by address and node ID instead).
                    announced = !(error.serverMessage ?? "LOADING").hasPrefix("LOADING")
                }
            }
            guard let text = try? connection.text("CLUSTER", "NODES"), let nodes = try? ClusterNode.parseAll(text),
                let myself = nodes.first(where: \.flags.myself)
            else { continue }
            let count = myself.slotCount
            guard count != last else { continue }
            last = count
            if count > 0 {
                settings.log.info("\(podName) is draining: it serves \(count) slots, which the creator's agent moves away")
            } else {
                settings.log.info("\(podName) is drained: it serves no slot; it may be deleted")
            }
        }
    }
}
