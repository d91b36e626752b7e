import RESPClient

extension RedisConnection {
    /// A server setting as `CONFIG GET` gives it (RESP2 pair or RESP3 map); nil when empty or not answered.
    func configValue(_ name: String) -> String? {
        switch try? send(["CONFIG", "GET", name]) {
        case .array(let items)?: return items.count == 2 ? items[1].text.flatMap { $0.isEmpty ? nil : $0 } : nil
        case .map(let pairs)?: return pairs.first?.value.text.flatMap { $0.isEmpty ? nil : $0 }
        default: return nil
        }
    }
}
