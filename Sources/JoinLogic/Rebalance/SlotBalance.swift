import Declaration

/// The balanced map for M shards and the fewest slot moves that reach it: every declared shard ends
/// with 16384 / M slots or one more, a shard beyond the declaration with none.
///
/// | holder | target | gives or takes |
/// |---|---|---|
/// | beyond the declaration (leaving) | 0 | gives all its slots |
/// | declared, among the `16384 % M` holding most (ties: lower shard) | 16384 / M + 1 | gives its highest slots above that, or takes |
/// | declared, the others | 16384 / M | gives its highest slots above that, or takes |
///
/// Givers are taken leaving first, then by shard; takers by shard; each taker is filled from the
/// givers in that order, so a move is a few contiguous ranges.
public enum SlotBalance {
    /// A master serving slots, or a declared shard's master waiting for some.
    public struct Holder: Equatable, Sendable {
        /// Its node ID.
        public let id: String
        /// Its declared shard; nil for a pod beyond the declaration, or re-mapped off the shard it serves.
        public let shard: Int?
        /// The slots it serves.
        public let slots: [SlotRange]

        public init(id: String, shard: Int?, slots: [SlotRange]) {
            self.id = id
            self.shard = shard
            self.slots = slots
        }

        var count: Int { slots.reduce(0) { $0 + $1.count } }
    }

    /// Slots to move from one holder to another.
    public struct Transfer: Equatable, Sendable {
        public let sourceID: String
        public let destinationID: String
        public let slots: [SlotRange]

        public init(sourceID: String, destinationID: String, slots: [SlotRange]) {
            self.sourceID = sourceID
            self.destinationID = destinationID
            self.slots = slots
        }
    }

    /// Each declared shard's target count, by shard, for `holders` (one per declared shard).
    public static func targets(_ holders: [Holder], shards: Int) -> [Int: Int] {
        let base = SlotRange.slotCount / shards
        let extras = SlotRange.slotCount % shards
        let declared = holders.filter { $0.shard != nil }.sorted { ($1.count, $0.shard!) < ($0.count, $1.shard!) }
        var targets: [Int: Int] = [:]
        for (rank, holder) in declared.enumerated() { targets[holder.shard!] = base + (rank < extras ? 1 : 0) }
        return targets
    }

    /// Whether the holders already are a balanced map: nothing to move.
    public static func isBalanced(_ holders: [Holder], shards: Int) -> Bool {
        let base = SlotRange.slotCount / shards
        return holders.allSatisfy { holder in
            holder.shard == nil ? holder.count == 0 : holder.count == base || holder.count == base + 1
        }
    }

    /// The moves that balance `holders`: one holder per declared shard (serving slots or not) and every
    /// holder beyond the declaration that serves slots.
    public static func transfers(_ holders: [Holder], shards: Int) -> [Transfer] {
        guard !isBalanced(holders, shards: shards) else { return [] }
        let targets = targets(holders, shards: shards)
        let leaving = holders.filter { $0.shard == nil && $0.count > 0 }
        let declared = holders.filter { $0.shard != nil }.sorted { $0.shard! < $1.shard! }
        var gives: [(id: String, slots: ArraySlice<Int>)] = leaving.map { ($0.id, ArraySlice(slotList($0.slots))) }
        for holder in declared where holder.count > targets[holder.shard!]! {
            let all = slotList(holder.slots)
            gives.append((holder.id, all[(all.count - (holder.count - targets[holder.shard!]!))...]))
        }
        var transfers: [Transfer] = []
        var giver = 0
        for taker in declared where holder(taker, below: targets) {
            var need = targets[taker.shard!]! - taker.count
            while need > 0, giver < gives.count {
                let taken = gives[giver].slots.prefix(need)
                gives[giver].slots = gives[giver].slots.dropFirst(taken.count)
                need -= taken.count
                if !taken.isEmpty {
                    transfers.append(Transfer(sourceID: gives[giver].id, destinationID: taker.id, slots: ranges(of: Array(taken))))
                }
                if gives[giver].slots.isEmpty { giver += 1 }
            }
        }
        return transfers
    }

    private static func holder(_ holder: Holder, below targets: [Int: Int]) -> Bool {
        holder.count < targets[holder.shard!]!
    }

    /// The slots of `ranges`, ascending.
    public static func slotList(_ ranges: [SlotRange]) -> [Int] {
        ranges.sorted { $0.lower < $1.lower }.flatMap { Array($0.lower...$0.upper) }
    }

    /// Ascending slots as ranges.
    public static func ranges(of slots: [Int]) -> [SlotRange] {
        var ranges: [SlotRange] = []
        for slot in slots {
            if let last = ranges.last, last.upper + 1 == slot {
                ranges[ranges.count - 1] = SlotRange(last.lower, slot)
            } else {
                ranges.append(SlotRange(slot, slot))
            }
        }
        return ranges
    }
}
