/// The parts of `INFO replication` that tell whether a replica is really serving.
public struct ReplicationInfo: Equatable, Sendable {
    /// `role:master` or `role:slave`.
    public let isReplica: Bool
    /// `master_link_status:up`: the replica has loaded its master's data.
    public let linkUp: Bool
    /// `connected_slaves` on a master.
    public let connectedReplicas: Int
    /// On a master, the replicas whose first sync is done (`slaveN:...,state=online,...`).
    public let onlineReplicas: Int
    /// On a replica, the address it replicates from (`master_host`, `master_port`).
    public let masterHost: String?
    public let masterPort: Int?

    /// Builds the summary directly (tests).
    public init(
        isReplica: Bool, linkUp: Bool, connectedReplicas: Int, onlineReplicas: Int = 0, masterHost: String? = nil, masterPort: Int? = nil
    ) {
        self.isReplica = isReplica
        self.linkUp = linkUp
        self.connectedReplicas = connectedReplicas
        self.onlineReplicas = onlineReplicas
        self.masterHost = masterHost
        self.masterPort = masterPort
    }

    /// Parses the reply.
    public init(parsing text: String) throws(ObservationParseError) {
        let fields = InfoFields(parsing: text)
        guard let role = fields["role"] else { throw ObservationParseError(what: "INFO replication", text: text) }
        self.init(
            isReplica: role == "slave", linkUp: fields["master_link_status"] == "up",
            connectedReplicas: fields.integer("connected_slaves") ?? 0,
            onlineReplicas: fields.values.filter { $0.key.hasPrefix("slave") && $0.value.contains("state=online") }.count,
            masterHost: fields["master_host"],
            masterPort: fields.integer("master_port"))
    }
}
