import Glibc

/// A closed range of hash slots, `lower...upper`, inside 0...16383.
public struct SlotRange: Hashable, Sendable, CustomStringConvertible {
    /// The number of hash slots in a Redis Cluster.
    public static let slotCount = 16384

    /// The first slot.
    public let lower: Int
    /// The last slot, inclusive.
    public let upper: Int

    /// A range; callers keep `lower <= upper`.
    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    /// How many slots the range holds.
    public var count: Int { upper - lower + 1 }

    /// Whether `slot` is inside.
    public func contains(_ slot: Int) -> Bool { slot >= lower && slot <= upper }

    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }

    /// Shard `s`'s range for `shards` masters: the same arithmetic as `redis-cli --cluster create`
    /// (`lround` of multiples of 16384/M), so a cluster made by either tool has the same map.
    public static func forShard(_ shard: Int, of shards: Int) -> SlotRange {
        let perShard = Double(slotCount) / Double(shards)
        let lower = lround(Double(shard) * perShard)
        let upper = shard == shards - 1 ? slotCount - 1 : lround(Double(shard) * perShard + perShard - 1)
        return SlotRange(lower, upper)
    }

    /// Every shard's range, in shard order.
    public static func all(shards: Int) -> [SlotRange] {
        (0..<shards).map { forShard($0, of: shards) }
    }
}
