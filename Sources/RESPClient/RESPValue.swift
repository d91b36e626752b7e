/// One RESP2 or RESP3 value, as decoded from a server's reply.
public indirect enum RESPValue: Equatable, Sendable {
    /// `+OK`
    case simpleString(String)
    /// `-ERR ...` and RESP3 blob errors `!`.
    case error(String)
    /// `:42`
    case integer(Int64)
    /// `$5\r\nhello`
    case bulkString([UInt8])
    /// RESP2 `$-1`/`*-1` and RESP3 `_`.
    case null
    /// `*2\r\n...`
    case array([RESPValue])
    /// RESP3 `,3.14`
    case double(Double)
    /// RESP3 `#t`
    case boolean(Bool)
    /// RESP3 `(3492890328409238509324850943850943825024385`, kept as its decimal text.
    case bigNumber(String)
    /// RESP3 `=15\r\ntxt:Some string`: the format (`txt`, `mkd`) and the text.
    case verbatim(format: String, text: String)
    /// RESP3 `%`: key-value pairs in the order the server sent them.
    case map([RESPPair])
    /// RESP3 `~`
    case set([RESPValue])
    /// RESP3 `>`: out-of-band data.
    case push([RESPValue])

    /// The value as text when it is a string of any kind; nil otherwise.
    public var text: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .verbatim(_, let text): return text
        default: return nil
        }
    }
}

/// One key-value pair of a RESP3 map.
public struct RESPPair: Equatable, Sendable {
    /// The key.
    public let key: RESPValue
    /// The value.
    public let value: RESPValue

    /// Pairs a key with its value.
    public init(_ key: RESPValue, _ value: RESPValue) {
        self.key = key
        self.value = value
    }
}
