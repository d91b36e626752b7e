import Declaration
import NodeFinder

/// `peers`: every declared pod with its shard, ordinal, designated role (and slots for masters) and current address, the
/// job KubeDB's redis-node-finder did. Exit 0 when every name resolves, 1 otherwise.
enum PeersCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: false, environment: environment)
        let resolver = Resolver.system(nameserver: settings.nameserver, maxTimeout: settings.timeout)
        var rows: [[String]] = [["POD", "SHARD", "ORDINAL", "ROLE", "SLOTS", "HOST", "ADDRESS"]]
        var entries: [JSON] = []
        var allResolved = true
        for pod in settings.topology.pods {
            let result = resolver.addresses(of: pod.lookupName)
            let role = pod.isDesignatedMaster ? "master" : "replica"
            let slots = pod.isDesignatedMaster ? settings.topology.slots(ofShard: pod.shard).description : "-"
            var address: JSON = .null
            var error: JSON = .null
            switch result {
            case .success(let addresses):
                address = .string(addresses.first.map { "\($0)" } ?? "")
                rows.append([pod.name, "\(pod.shard)", "\(pod.ordinal)", role, slots, pod.host, "\(addresses[0]):\(pod.port)"])
            case .failure(let failure):
                allResolved = false
                error = .string(failure.description)
                rows.append([pod.name, "\(pod.shard)", "\(pod.ordinal)", role, slots, pod.host, "- (\(failure))"])
            }
            entries.append(
                .object([
                    ("pod", .string(pod.name)), ("shard", .number(pod.shard)), ("ordinal", .number(pod.ordinal)),
                    ("role", .string(role)), ("slots", pod.isDesignatedMaster ? .string(slots) : .null), ("host", .string(pod.host)),
                    ("port", .number(Int(pod.port))),
                    ("address", address), ("error", error),
                ]))
        }
        printOut(settings.json ? JSON.array(entries).rendered : table(rows))
        return allResolved ? 0 : 1
    }
}
