/// The parts of `CLUSTER INFO` the agent reads.
public struct ClusterInfo: Equatable, Sendable {
    /// `cluster_state:ok`.
    public let isOK: Bool
    /// `cluster_slots_assigned`.
    public let slotsAssigned: Int
    /// `cluster_known_nodes`.
    public let knownNodes: Int
    /// `cluster_current_epoch`.
    public let currentEpoch: Int
    /// `cluster_my_epoch`.
    public let myEpoch: Int

    /// Builds the summary directly (tests) .
    public init(isOK: Bool, slotsAssigned: Int, knownNodes: Int, currentEpoch: Int, myEpoch: Int) {
        self.isOK = isOK
        self.slotsAssigned = slotsAssigned
        self.knownNodes = knownNodes
        self.currentEpoch = currentEpoch
        self.myEpoch = myEpoch
    }

    /// Parses the reply; fails when a field the planner needs is missing.
    public init(parsing text: String) throws(ObservationParseError) {
        let fields = InfoFields(parsing: text)
        guard let state = fields["cluster_state"], let assigned = fields.integer("cluster_slots_assigned"),
            let known = fields.integer("cluster_known_nodes"), let current = fields.integer("cluster_current_epoch"),
            let mine = fields.integer("cluster_my_epoch")
        else { throw ObservationParseError(what: "CLUSTER INFO", text: text) }
        self.init(isOK: state == "ok", slotsAssigned: assigned, knownNodes: known, currentEpoch: current, myEpoch: mine)
    }
}
