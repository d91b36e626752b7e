import Platform

/// A bounds-checked cursor over a DNS message.
struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func uint8() throws(DNSMessageError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() throws(DNSMessageError) -> UInt16 {
        UInt16(try uint8()) << 8 | UInt16(try uint8())
    }

    mutating func uint32() throws(DNSMessageError) -> UInt32 {
        UInt32(try uint16()) << 16 | UInt32(try uint16())
    }

    mutating func take(_ count: Int) throws(DNSMessageError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A possibly compressed name, lowercased, without the trailing dot.
    mutating func name() throws(DNSMessageError) -> String {
        var labels: [String] = []
        var length = 0
        var position = offset
        var resumeAt: Int? = nil
        // Each pointer must point strictly before the previous one, so the walk always ends.
        var pointerLimit = offset
        while true {
            guard position < bytes.count else { throw .truncated(offset: position) }
            let byte = bytes[position]
            if byte & 0xC0 == 0xC0 {
                guard position + 1 < bytes.count else { throw .truncated(offset: position) }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < pointerLimit else { throw .badPointer(offset: position) }
                if resumeAt == nil { resumeAt = position + 2 }
                pointerLimit = target
                position = target
                continue
            }
            guard byte & 0xC0 == 0 else { throw .badName(offset: position) }
            let count = Int(byte)
            position += 1
            if count == 0 { break }
            guard bytes.count - position >= count else { throw .truncated(offset: position) }
            length += count + 1
            guard length <= 255 else { throw .badName(offset: position) }
            labels.append(String(decoding: bytes[position..<position + count], as: UTF8.self).lowercased())
            position += count
        }
        offset = resumeAt ?? position
        return labels.joined(separator: ".")
    }

    mutating func record() throws(DNSMessageError) -> DNSRecord {
        let owner = try name()
        let type = try uint16()
        _ = try uint16()  // class
        _ = try uint32()  // TTL: the agent asks again on every pass, so it caches nothing
        let length = Int(try uint16())
        let start = offset
        guard bytes.count - start >= length else { throw .truncated(offset: start) }
        let data: DNSRecordData
        switch DNSRecordType(rawValue: type) {
        case .a, .aaaa:
            guard length == (type == DNSRecordType.a.rawValue ? 4 : 16),
                let address = IPAddress(bytes: try take(length))
            else { throw .badRecord(type: type, offset: start) }
            data = .address(address)
        case .cname:
            data = .cname(try name())
        case .srv:
            guard length >= 7 else { throw .badRecord(type: type, offset: start) }
            let priority = try uint16()
            let weight = try uint16()
            let port = try uint16()
            data = .srv(SRVRecord(priority: priority, weight: weight, port: port, target: try name()))
        case nil:
            data = .other(type: type)
        }
        guard offset <= start + length else { throw .badRecord(type: type, offset: start) }
        offset = start + length
        return DNSRecord(name: owner, data: data)
    }
}
