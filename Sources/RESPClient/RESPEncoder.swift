/// Writes RESP: commands as arrays of bulk strings (what servers accept), and any value for tests.
public enum RESPEncoder {
    /// A command as an array of bulk strings.
    public static func command(_ arguments: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + arguments.reduce(0) { $0 + $1.utf8.count + 16 })
        appendHeader(UInt8(ascii: "*"), arguments.count, to: &out)
        for argument in arguments {
            appendHeader(UInt8(ascii: "$"), argument.utf8.count, to: &out)
            out.append(contentsOf: argument.utf8)
            out.append(contentsOf: crlf)
        }
        return out
    }

    /// A command whose arguments are bytes (keys are binary-safe: a key need not be UTF-8).
    public static func command(bytes arguments: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + arguments.reduce(0) { $0 + $1.count + 16 })
        appendHeader(UInt8(ascii: "*"), arguments.count, to: &out)
        for argument in arguments {
            appendHeader(UInt8(ascii: "$"), argument.count, to: &out)
            out.append(contentsOf: argument)
            out.append(contentsOf: crlf)
        }
        return out
    }

    /// Any value, in its RESP3 form (RESP2 forms for strings, errors, integers, arrays and null arrays
    /// are the same bytes).
    public static func encode(_ value: RESPValue) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]

    private static func appendHeader(_ type: UInt8, _ count: Int, to out: inout [UInt8]) {
        out.append(type)
        out.append(contentsOf: String(count).utf8)
        out.append(contentsOf: crlf)
    }

    private static func appendLine(_ type: UInt8, _ text: String, to out: inout [UInt8]) {
        out.append(type)
        out.append(contentsOf: text.utf8)
        out.append(contentsOf: crlf)
    }

    private static func appendBulk(_ type: UInt8, _ bytes: [UInt8], to out: inout [UInt8]) {
        appendHeader(type, bytes.count, to: &out)
        out.append(contentsOf: bytes)
        out.append(contentsOf: crlf)
    }

    private static func append(_ value: RESPValue, to out: inout [UInt8]) {
        switch value {
        case .simpleString(let text): appendLine(UInt8(ascii: "+"), text, to: &out)
        case .error(let text): appendLine(UInt8(ascii: "-"), text, to: &out)
        case .integer(let number): appendLine(UInt8(ascii: ":"), String(number), to: &out)
        case .bigNumber(let digits): appendLine(UInt8(ascii: "("), digits, to: &out)
        case .bulkString(let bytes): appendBulk(UInt8(ascii: "$"), bytes, to: &out)
        case .verbatim(let format, let text): appendBulk(UInt8(ascii: "="), Array("\(format):\(text)".utf8), to: &out)
        case .null: out.append(contentsOf: Array("_\r\n".utf8))
        case .boolean(let flag): appendLine(UInt8(ascii: "#"), flag ? "t" : "f", to: &out)
        case .double(let number):
            let text = number.isNaN ? "nan" : number == .infinity ? "inf" : number == -.infinity ? "-inf" : "\(number)"
            appendLine(UInt8(ascii: ","), text, to: &out)
        case .array(let values): appendAggregate(UInt8(ascii: "*"), values, to: &out)
        case .set(let values): appendAggregate(UInt8(ascii: "~"), values, to: &out)
        case .push(let values): appendAggregate(UInt8(ascii: ">"), values, to: &out)
        case .map(let pairs):
            appendHeader(UInt8(ascii: "%"), pairs.count, to: &out)
            for pair in pairs {
                append(pair.key, to: &out)
                append(pair.value, to: &out)
            }
        }
    }

    private static func appendAggregate(_ type: UInt8, _ values: [RESPValue], to out: inout [UInt8]) {
        appendHeader(type, values.count, to: &out)
        for value in values { append(value, to: &out) }
    }
}
