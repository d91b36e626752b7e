/// A password, with an ACL user name where one is set. `description` never shows the password,
/// so a credentials value can appear in logs and errors without leaking.
public struct RedisCredentials: Sendable, CustomStringConvertible {
    /// The ACL user; nil for the `default` user with `requirepass`.
    public let user: String?
    /// The password.
    public let password: String

    /// Pairs an optional user with a password.
    public init(user: String?, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { user.map { "user \($0) with a password" } ?? "a password" }

    /// The AUTH command for these credentials.
    var authCommand: [String] {
        if let user { return ["AUTH", user, password] }
        return ["AUTH", password]
    }

    /// redis.conf lines that give the server these credentials without a command line: the
    /// password it requires (the `default` user's, when no ACL user is named) and the ones it
    /// presents to its master as a replica. Values are quoted as redis.conf's parser reads them.
    public var serverConfig: String {
        var lines: [String] = []
        if let user {
            lines.append("masteruser \(Self.quoted(user))")
        } else {
            lines.append("requirepass \(Self.quoted(password))")
        }
        lines.append("masterauth \(Self.quoted(password))")
        return lines.map { $0 + "\n" }.joined()
    }

    /// `"..."` with `\\`, `\"` and `\xHH` for every byte that is not printable ASCII.
    static func quoted(_ value: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), byte]
            case 0x20...0x7e: bytes.append(byte)
            default: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}
