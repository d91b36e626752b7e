import Declaration
import Platform

/// Slots to move from one master to another, with what the mover needs to reach both: the source's
/// client endpoint, and the destination's address as the source reaches it (`MIGRATE` goes from the
/// source to the destination).
public struct SlotMove: Equatable, Sendable, CustomStringConvertible {
    /// One end of the move.
    public struct End: Equatable, Sendable, CustomStringConvertible {
        /// The node ID.
        public let id: String
        /// Where its clients reach it.
        public let endpoint: Endpoint
        /// A name for logs: the pod when known, else the node ID.
        public let name: String
        /// The pod's DNS name, which its TLS certificate carries; nil when its pod cannot be told.
        public let host: String?

        public init(id: String, endpoint: Endpoint, name: String, host: String? = nil) {
            self.id = id
            self.endpoint = endpoint
            self.name = name
            self.host = host
        }

        public var description: String { name }
    }

    public let source: End
    public let destination: End
    /// The slots, ascending.
    public let slots: [SlotRange]

    public init(source: End, destination: End, slots: [SlotRange]) {
        self.source = source
        self.destination = destination
        self.slots = slots
    }

    /// How many slots.
    public var slotCount: Int { slots.reduce(0) { $0 + $1.count } }

    public var description: String {
        let shown = slots.prefix(4).map(\.description).joined(separator: ",") + (slots.count > 4 ? ",..." : "")
        return "move \(slotCount) slot\(slotCount == 1 ? "" : "s") (\(shown)) from \(source) to \(destination)"
    }
}
