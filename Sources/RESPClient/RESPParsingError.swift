/// Why bytes from a peer are not valid RESP. Thrown only for malformed input, never for input that
/// is merely incomplete (the decoder returns nil for that).
public enum RESPParsingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value started with a byte that is no RESP type.
    case unknownType(UInt8, offset: Int)
    /// A line ended with CR not followed by LF.
    case missingLineFeed(offset: Int)
    /// A bulk payload was not followed by CRLF.
    case missingTrailingCRLF(offset: Int)
    /// A line ran past the line limit without CRLF.
    case lineTooLong(limit: Int)
    /// A length or integer that is not a decimal number, or a negative length other than -1.
    case invalidNumber(String, offset: Int)
    /// A bulk string longer than the limit.
    case bulkTooLong(Int64, limit: Int)
    /// An aggregate with more elements than the limit.
    case aggregateTooLong(Int64, limit: Int)
    /// Aggregates nested deeper than the limit.
    case nestedTooDeep(limit: Int)
    /// A boolean, double, null or verbatim string whose payload is malformed.
    case invalidPayload(String, offset: Int)

    public var description: String {
        switch self {
        case .unknownType(let byte, let offset): return "unknown RESP type byte 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .missingLineFeed(let offset): return "CR without LF at offset \(offset)"
        case .missingTrailingCRLF(let offset): return "bulk payload not followed by CRLF at offset \(offset)"
        case .lineTooLong(let limit): return "no CRLF within \(limit) bytes"
        case .invalidNumber(let text, let offset): return "invalid number '\(text.prefix(40))' at offset \(offset)"
        case .bulkTooLong(let length, let limit): return "bulk length \(length) exceeds the limit of \(limit)"
        case .aggregateTooLong(let count, let limit): return "aggregate of \(count) elements exceeds the limit of \(limit)"
        case .nestedTooDeep(let limit): return "nesting deeper than \(limit)"
        case .invalidPayload(let what, let offset): return "invalid \(what) at offset \(offset)"
        }
    }
}
