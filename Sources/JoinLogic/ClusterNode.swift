import Declaration
import Platform

/// One line of `CLUSTER NODES`: what one node believes about one node (possibly itself).
public struct ClusterNode: Equatable, Sendable {
    /// The 40-hex node ID.
    public let id: String
    /// The address as the observer knows it; empty when the node has not learned it yet.
    public let ip: String
    /// The client port.
    public let port: Int
    /// The cluster bus port.
    public let busPort: Int
    /// The announced hostname (Redis 7+), when set.
    public let hostname: String?
    /// The flags.
    public let flags: Flags
    /// For a replica, its master's ID.
    public let masterID: String?
    /// The node's config epoch.
    public let configEpoch: Int
    /// Whether the observer's bus link to it is up.
    public let linkConnected: Bool
    /// The slots it serves (migrating and importing markers are left out).
    public let slots: [SlotRange]
    /// Slots it is moving out, to the node ID given (`[slot->-id]`; only on a node's own line).
    public let migrating: [Int: String]
    /// Slots it is taking in, from the node ID given (`[slot-<-id]`; only on a node's own line).
    public let importing: [Int: String]

    /// The flags a line carries.
    public struct Flags: Equatable, Sendable {
        public var myself = false
        public var master = false
        public var replica = false
        /// `fail?`: this observer suspects it.
        public var suspectedFailing = false
        /// `fail`: the cluster agreed it failed.
        public var failing = false
        /// A MEET in progress; the ID is a temporary one.
        public var handshake = false
        /// The observer has no address for it.
        public var noAddress = false
    }

    /// Builds a node; mostly for tests, the agent parses them.
    public init(
        id: String, ip: String, port: Int, busPort: Int, hostname: String?, flags: Flags, masterID: String?,
        configEpoch: Int, linkConnected: Bool, slots: [SlotRange], migrating: [Int: String] = [:], importing: [Int: String] = [:]
    ) {
        self.id = id
        self.ip = ip
        self.port = port
        self.busPort = busPort
        self.hostname = hostname
        self.flags = flags
        self.masterID = masterID
        self.configEpoch = configEpoch
        self.linkConnected = linkConnected
        self.slots = slots
        self.migrating = migrating
        self.importing = importing
    }

    /// Whether a slot move through it was left open (a migrating or importing marker).
    public var hasOpenSlots: Bool { !migrating.isEmpty || !importing.isEmpty }

    /// Whether the node serves any slot.
    public var ownsSlots: Bool { !slots.isEmpty }

    /// The number of slots it serves.
    public var slotCount: Int { slots.reduce(0) { $0 + $1.count } }

    /// Whether it serves `slot`.
    public func owns(_ slot: Int) -> Bool { slots.contains { $0.contains(slot) } }

    /// Whether the entry gives an address, and one other than `address`: for the local node's own entry,
    /// that it reports itself where its name no longer points (Redis keeps a restarted node's old one).
    public func reportsAddress(otherThan address: IPAddress) -> Bool { !ip.isEmpty && ip != address.description }

    /// A usable, settled entry: not in handshake, with an address, not agreed failed.
    public var isUsable: Bool { !flags.handshake && !flags.noAddress && !flags.failing && !ip.isEmpty }

    /// Where its clients' port is, as the entry gives it; nil without an address (`noaddr`, handshake).
    public var endpoint: Endpoint? {
        guard let address = IPAddress(ip), let port = UInt16(exactly: self.port) else { return nil }
        return Endpoint(address, port)
    }
}
