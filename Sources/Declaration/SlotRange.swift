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

    /// Shard `shard`'s range among `shards` masters.
    public static func forShard(_ shard: Int, of shards: Int) -> SlotRange {
        all(shards: shards)[shard]
    }

    /// Every shard's range, in shard order, by the same arithmetic as `redis-cli --cluster create`,
    /// so a cluster made by either tool has the same map. redis-cli accumulates a C `float` cursor;
    /// `Float` here reproduces its rounding exactly (a `Double` would differ from 78 shards on).
    public static func all(shards: Int) -> [SlotRange] {
        let perShard = Float(slotCount) / Float(shards)
        var cursor: Float = 0
        var first = 0
        var ranges: [SlotRange] = []
        for shard in 0..<shards {
            var last = lround(Double(cursor + perShard - 1))
            if last > slotCount || shard == shards - 1 { last = slotCount - 1 }
            if last < first { last = first }
            ranges.append(SlotRange(first, last))
            first = last + 1
            cursor += perShard
        }
        return ranges
    }
}
