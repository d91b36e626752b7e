/// A DNS response as far as a stub resolver needs it.
public struct DNSMessage: Equatable, Sendable {
    /// The transaction ID, to match the query.
    public let id: UInt16
    /// Whether the QR bit is set.
    public let isResponse: Bool
    /// Whether the TC bit is set: the UDP answer was cut and must be asked again over TCP.
    public let isTruncated: Bool
    /// The response code: 0 no error, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED.
    public let responseCode: UInt8
    /// The answer section.
    public let answers: [DNSRecord]

    /// Response code values the resolver acts on.
    public enum ResponseCode {
        public static let noError: UInt8 = 0
        public static let serverFailure: UInt8 = 2
        public static let nameError: UInt8 = 3

        /// The code's name as dig prints it, for progress lines.
        public static func name(_ code: UInt8) -> String {
            let names = [0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"]
            return names[Int(code)] ?? "rcode \(code)"
        }
    }

    /// A recursive query for `name` (absolute; a trailing dot is optional) of `type`, in wire form.
    /// Throws for a name that cannot go on the wire.
    public static func query(id: UInt16, name: String, type: DNSRecordType) throws(DNSMessageError) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        guard !trimmed.isEmpty, trimmed.utf8.count <= 253 else { throw .invalidName(name) }
        for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(label.utf8)
            guard !bytes.isEmpty, bytes.count <= 63 else { throw .invalidName(name) }
            out.append(UInt8(bytes.count))
            out.append(contentsOf: bytes)
        }
        out.append(0)
        out.append(contentsOf: [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), 0, 1])
        return out
    }

    /// Parses a response. Every length and pointer is bounds-checked; compression pointers may only
    /// point backwards, so a loop cannot form.
    public static func parse(_ bytes: [UInt8]) throws(DNSMessageError) -> DNSMessage {
        var reader = DNSReader(bytes: bytes)
        let id = try reader.uint16()
        let flags = try reader.uint16()
        let questions = try reader.uint16()
        let answerCount = try reader.uint16()
        _ = try reader.uint16()
        _ = try reader.uint16()
        for _ in 0..<questions {
            _ = try reader.name()
            _ = try reader.uint16()
            _ = try reader.uint16()
        }
        var answers: [DNSRecord] = []
        let isTruncated = flags & 0x0200 != 0
        for _ in 0..<answerCount {
            // A truncated message may end mid-section; keep what arrived whole.
            do {
                answers.append(try reader.record())
            } catch {
                if isTruncated { break }
                throw error
            }
        }
        return DNSMessage(
            id: id, isResponse: flags & 0x8000 != 0, isTruncated: isTruncated,
            responseCode: UInt8(flags & 0x000F), answers: answers)
    }
}

/// Why a DNS message could not be built or read.
public enum DNSMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message ended before a field it declared.
    case truncated(offset: Int)
    /// A compression pointer that points forward or to itself.
    case badPointer(offset: Int)
    /// A label longer than 63 bytes, or a name longer than 255.
    case badName(offset: Int)
    /// A record whose data does not fit its type.
    case badRecord(type: UInt16, offset: Int)
    /// A name that cannot be queried.
    case invalidName(String)

    public var description: String {
        switch self {
        case .truncated(let offset): return "DNS message ends early at offset \(offset)"
        case .badPointer(let offset): return "DNS compression pointer at offset \(offset) does not point backwards"
        case .badName(let offset): return "DNS name at offset \(offset) is too long"
        case .badRecord(let type, let offset): return "DNS record of type \(type) at offset \(offset) is malformed"
        case .invalidName(let name): return "'\(name)' is not a valid DNS name"
        }
    }
}
