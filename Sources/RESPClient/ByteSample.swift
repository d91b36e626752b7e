/// The first bytes a peer sent, made safe for a log line: printable ASCII as is, CR and LF as `\r` and
/// `\n`, anything else as `\xHH`. A hostile or confused peer is then named with what it actually said,
/// and can neither flood the log nor inject control characters into it.
public enum ByteSample {
    /// At most `limit` bytes of `bytes`, escaped, followed by the total count when cut short.
    public static func describe<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int = 48) -> String {
        var text = ""
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20...0x7e: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        let shown = "'\(text)'"
        return bytes.count > limit ? "\(shown)... (\(bytes.count) bytes)" : shown
    }
}
