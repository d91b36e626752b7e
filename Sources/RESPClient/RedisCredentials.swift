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
}
