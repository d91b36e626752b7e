/// A server's version, as `INFO server` gives it (`redis_version`; Valkey reports the Redis version whose
/// protocol it speaks there, 7.2.x, beside its own `valkey_version`).
public struct ServerVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int
    /// What the server calls itself, for messages ("Redis 6.2.14", "Valkey 8.1.1").
    public let description: String

    public init(major: Int, minor: Int, patch: Int = 0, description: String? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.description = description ?? "Redis \(major).\(minor).\(patch)"
    }

    /// From the text of `INFO server`; nil without a `redis_version` line.
    public init?(info text: String) {
        let fields = InfoFields(parsing: text)
        guard let version = fields["redis_version"] else { return nil }
        let numbers = version.split(separator: ".").map { Int($0) ?? 0 }
        guard let major = numbers.first else { return nil }
        let name = fields["valkey_version"].map { "Valkey \($0)" } ?? "Redis \(version)"
        self.init(major: major, minor: numbers.count > 1 ? numbers[1] : 0, patch: numbers.count > 2 ? numbers[2] : 0, description: name)
    }

    /// Whether it reads cluster-bus ping extensions (Redis 7.0 on); older servers drop every ping that
    /// carries one.
    public var readsPingExtensions: Bool { major >= 7 }

    public static func < (lhs: ServerVersion, rhs: ServerVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public static func == (lhs: ServerVersion, rhs: ServerVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) == (rhs.major, rhs.minor, rhs.patch)
    }
}
