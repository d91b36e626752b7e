/// The `key:value` lines of `INFO` and `CLUSTER INFO`; `# Section` headers and other lines are skipped.
public struct InfoFields: Equatable, Sendable {
    /// Every field, last occurrence wins.
    public let values: [String: String]

    /// Parses the reply text.
    public init(parsing text: String) {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        self.values = values
    }

    /// A field as text.
    public subscript(_ key: String) -> String? { values[key] }

    /// A field as an integer.
    public func integer(_ key: String) -> Int? { values[key].flatMap { Int($0) } }
}
