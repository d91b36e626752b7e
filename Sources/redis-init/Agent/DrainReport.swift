import JoinLogic
import Platform
import RESPClient

/// For a pod beyond the declaration: a line whenever the slots its server serves change, so its log
/// says when it is drained and may be deleted. It only reads.
enum DrainReport {
    static func follow(_ podName: String, _ settings: Settings) {
        var last: Int? = nil
        while true {
            sleep(seconds: max(settings.interval, 2))
            guard
                let connection = try? RedisConnection(
                    endpoint: settings.localEndpoint, timeout: settings.timeout, credentials: settings.credentials),
                let text = try? connection.text("CLUSTER", "NODES"), let nodes = try? ClusterNode.parseAll(text),
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
