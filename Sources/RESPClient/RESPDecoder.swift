/// Decodes one RESP2/RESP3 value from the front of a byte buffer, with no I/O.
///
/// The contract: `nil` means the bytes so far are a valid prefix and more are needed; a throw means
/// they can never become a valid value; on success the returned `end` is where the next value starts.
/// The caller's buffer is never consumed on nil or throw, so it can append and call again.
public struct RESPDecoder: Sendable {
    /// The bounds applied to every value.
    public let limits: RESPLimits

    /// A decoder with the given bounds.
    public init(limits: RESPLimits = .agent) {
        self.limits = limits
    }

    /// Decodes the value starting at `start`.
    public func decode(_ bytes: [UInt8], from start: Int = 0) throws(RESPParsingError) -> (value: RESPValue, end: Int)? {
        var cursor = Cursor(bytes: bytes, position: start, limits: limits)
        guard let value = try cursor.value(depth: 0) else { return nil }
        return (value, cursor.position)
    }
}

/// A position in the buffer that only moves forward as values complete.
private struct Cursor {
    let bytes: [UInt8]
    var position: Int
    let limits: RESPLimits

    mutating func value(depth: Int) throws(RESPParsingError) -> RESPValue? {
        guard position < bytes.count else { return nil }
        let typeOffset = position
        guard let type = RESPTypeIdentifier(rawValue: bytes[position]) else {
            throw .unknownType(bytes[position], offset: position)
        }
        position += 1
        switch type {
        case .simpleString:
            guard let line = try line() else { return nil }
            return .simpleString(String(decoding: line, as: UTF8.self))
        case .simpleError:
            guard let line = try line() else { return nil }
            return .error(String(decoding: line, as: UTF8.self))
        case .integer:
            guard let line = try line() else { return nil }
            return .integer(try number(line, at: typeOffset))
        case .bigNumber:
            guard let line = try line() else { return nil }
            let digits = line.first == UInt8(ascii: "-") || line.first == UInt8(ascii: "+") ? line.dropFirst() : line[...]
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .invalidPayload("big number", offset: typeOffset)
            }
            return .bigNumber(String(decoding: line, as: UTF8.self))
        case .null:
            guard let line = try line() else { return nil }
            guard line.isEmpty else { throw .invalidPayload("null", offset: typeOffset) }
            return .null
        case .boolean:
            guard let line = try line() else { return nil }
            switch line {
            case [UInt8(ascii: "t")]: return .boolean(true)
            case [UInt8(ascii: "f")]: return .boolean(false)
            default: throw .invalidPayload("boolean", offset: typeOffset)
            }
        case .double:
            guard let line = try line() else { return nil }
            return .double(try double(line, at: typeOffset))
        case .bulkString, .blobError, .verbatimString:
            guard let payload = try bulk(allowNull: type == .bulkString, at: typeOffset) else { return nil }
            guard let bytes = payload else { return .null }
            if type == .blobError { return .error(String(decoding: bytes, as: UTF8.self)) }
            if type == .verbatimString {
                guard bytes.count >= 4, bytes[3] == UInt8(ascii: ":") else {
                    throw .invalidPayload("verbatim string", offset: typeOffset)
                }
                return .verbatim(
                    format: String(decoding: bytes[0..<3], as: UTF8.self),
                    text: String(decoding: bytes[4...], as: UTF8.self))
            }
            return .bulkString(bytes)
        case .array, .set, .push:
            guard let elements = try aggregate(allowNull: type == .array, perEntry: 1, depth: depth, at: typeOffset) else {
                return nil
            }
            guard let values = elements else { return .null }
            switch type {
            case .set: return .set(values)
            case .push: return .push(values)
            default: return .array(values)
            }
        case .map:
            guard let elements = try aggregate(allowNull: false, perEntry: 2, depth: depth, at: typeOffset) else {
                return nil
            }
            let values = elements ?? []
            return .map(stride(from: 0, to: values.count, by: 2).map { RESPPair(values[$0], values[$0 + 1]) })
        case .attribute:
            // Attributes annotate the value that follows; the agent has no use for them, so they are
            // checked for well-formedness and skipped.
            guard try aggregate(allowNull: false, perEntry: 2, depth: depth, at: typeOffset) != nil else { return nil }
            return try value(depth: depth)
        }
    }

    /// The bytes up to CRLF, or nil when CRLF has not arrived yet.
    private mutating func line() throws(RESPParsingError) -> ArraySlice<UInt8>? {
        let start = position
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0D {
                guard index + 1 < bytes.count else { return nil }
                guard bytes[index + 1] == 0x0A else { throw .missingLineFeed(offset: index) }
                position = index + 2
                return bytes[start..<index]
            }
            index += 1
            if index - start > limits.maxLineLength { throw .lineTooLong(limit: limits.maxLineLength) }
        }
        return nil
    }

    /// A length line: a non-negative decimal, or -1 where a null is allowed (returned as nil inside).
    private mutating func length(allowNull: Bool, at offset: Int) throws(RESPParsingError) -> Int64?? {
        guard let line = try line() else { return nil }
        let value = try number(line, at: offset)
        if value == -1 && allowNull { return .some(nil) }
        guard value >= 0 else { throw .invalidNumber(String(decoding: line, as: UTF8.self), offset: offset) }
        return .some(value)
    }

    private mutating func bulk(allowNull: Bool, at offset: Int) throws(RESPParsingError) -> [UInt8]?? {
        guard let declared = try length(allowNull: allowNull, at: offset) else { return nil }
        guard let length = declared else { return .some(nil) }
        guard length <= Int64(limits.maxBulkLength) else { throw .bulkTooLong(length, limit: limits.maxBulkLength) }
        let count = Int(length)
        guard bytes.count - position >= count + 2 else { return nil }
        let end = position + count
        guard bytes[end] == 0x0D, bytes[end + 1] == 0x0A else { throw .missingTrailingCRLF(offset: end) }
        defer { position = end + 2 }
        return .some(Array(bytes[position..<end]))
    }

    private mutating func aggregate(
        allowNull: Bool, perEntry: Int, depth: Int, at offset: Int
    )
        throws(RESPParsingError) -> [RESPValue]??
    {
        guard depth < limits.maxDepth else { throw .nestedTooDeep(limit: limits.maxDepth) }
        guard let declared = try length(allowNull: allowNull, at: offset) else { return nil }
        guard let count = declared else { return .some(nil) }
        // A map of 9.2e18 pairs is 1.8e19 values: more than an Int64 holds (found by scripts/fuzz RESP).
        let (total, overflow) = count.multipliedReportingOverflow(by: Int64(perEntry))
        guard !overflow, total <= Int64(limits.maxAggregateCount) else {
            throw .aggregateTooLong(overflow ? Int64.max : total, limit: limits.maxAggregateCount)
        }
        var values: [RESPValue] = []
        // Reserve no more than the bytes present could hold (3 bytes is the smallest value), so a
        // large declared count costs nothing until its elements actually arrive.
        values.reserveCapacity(min(Int(total), (bytes.count - position) / 3))
        for _ in 0..<total {
            guard let element = try value(depth: depth + 1) else { return nil }
            values.append(element)
        }
        return .some(values)
    }

    private func number(_ line: ArraySlice<UInt8>, at offset: Int) throws(RESPParsingError) -> Int64 {
        var digits = line[...]
        var negative = false
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        } else if digits.first == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 19 else {
            throw .invalidNumber(String(decoding: line, as: UTF8.self), offset: offset)
        }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 0x30 && byte <= 0x39 else {
                throw .invalidNumber(String(decoding: line, as: UTF8.self), offset: offset)
            }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(byte - 0x30))
            if overflowA || overflowB { throw .invalidNumber(String(decoding: line, as: UTF8.self), offset: offset) }
            value = sum
        }
        return negative ? -value : value
    }

    private func double(_ line: ArraySlice<UInt8>, at offset: Int) throws(RESPParsingError) -> Double {
        let text = String(decoding: line, as: UTF8.self)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            guard
                text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
                let value = Double(text)
            else { throw .invalidPayload("double", offset: offset) }
            return value
        }
    }
}
