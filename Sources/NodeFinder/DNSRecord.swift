import Platform

/// One answer record the resolver understands; others are kept as `.other` and ignored.
public enum DNSRecordData: Equatable, Sendable {
    /// An IPv4 or IPv6 address.
    case address(IPAddress)
    /// An alias.
    case cname(String)
    /// A service location.
    case srv(SRVRecord)
    /// A type the resolver does not use.
    case other(type: UInt16)
}

/// A resource record from the answer section.
public struct DNSRecord: Equatable, Sendable {
    /// The owner name, lowercased, without the trailing dot.
    public let name: String
    /// The payload.
    public let data: DNSRecordData
}

/// An SRV record: a headless Service lists one per ready (or, with publishNotReadyAddresses, every) pod.
public struct SRVRecord: Equatable, Sendable {
    /// Lower is preferred.
    public let priority: UInt16
    /// Relative weight among equal priorities.
    public let weight: UInt16
    /// The service port.
    public let port: UInt16
    /// The pod's DNS name, lowercased, without the trailing dot.
    public let target: String
}
