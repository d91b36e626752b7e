import Declaration
import Testing

@testable import JoinLogic

/// `SlotBalance`: every result balanced within one slot, by the fewest moves its targets allow, each
/// slot moved once and from the node that serves it.
@Suite struct SlotBalanceTests {
    func id(_ index: Int) -> String { String(repeating: "b", count: 38) + String(format2: index) }

    /// Holders as a fresh `shards`-way split makes them.
    func fresh(_ shards: Int) -> [SlotBalance.Holder] {
        SlotRange.all(shards: shards).enumerated().map { SlotBalance.Holder(id: id($0.offset), shard: $0.offset, slots: [$0.element]) }
    }

    /// Applies `transfers` and checks each moved slot was its source's, and no slot moved twice.
    func apply(_ transfers: [SlotBalance.Transfer], to holders: [SlotBalance.Holder]) -> [SlotBalance.Holder] {
        var slots = Dictionary(uniqueKeysWithValues: holders.map { ($0.id, Set(SlotBalance.slotList($0.slots))) })
        var moved = Set<Int>()
        for transfer in transfers {
            for slot in SlotBalance.slotList(transfer.slots) {
                #expect(slots[transfer.sourceID]!.remove(slot) != nil, "slot \(slot) was not \(transfer.sourceID)'s")
                #expect(moved.insert(slot).inserted, "slot \(slot) moved twice")
                slots[transfer.destinationID]!.insert(slot)
            }
        }
        return holders.map { SlotBalance.Holder(id: $0.id, shard: $0.shard, slots: SlotBalance.ranges(of: slots[$0.id]!.sorted())) }
    }

    @Test func aFreshSplitIsBalanced() {
        for shards in [3, 4, 5, 7, 10, 50, 78, 100] {
            #expect(SlotBalance.isBalanced(fresh(shards), shards: shards))
            #expect(SlotBalance.transfers(fresh(shards), shards: shards).isEmpty)
        }
    }

    @Test(arguments: [(3, 4), (4, 5), (3, 5), (3, 10), (10, 11), (5, 7), (49, 50), (3, 100)])
    func scaleOutMovesOnlyWhatTheNewShardsNeed(from: Int, to: Int) {
        let holders = fresh(from) + (from..<to).map { SlotBalance.Holder(id: id($0), shard: $0, slots: []) }
        let transfers = SlotBalance.transfers(holders, shards: to)
        let after = apply(transfers, to: holders)
        #expect(SlotBalance.isBalanced(after, shards: to))
        // Fewest: the new shards get their share and nothing else moves.
        let moved = transfers.reduce(0) { $0 + $1.slots.reduce(0) { $0 + $1.count } }
        let newShare = after.filter { $0.shard! >= from }.reduce(0) { $0 + $1.count }
        #expect(moved == newShare)
        #expect(transfers.allSatisfy { transfer in holders.first { $0.id == transfer.destinationID }!.shard! >= from })
    }

    @Test(arguments: [(4, 3), (5, 3), (10, 3), (11, 10), (100, 3)])
    func scaleInEmptiesTheLeavingShardsOnly(from: Int, to: Int) {
        let holders = fresh(from).map { SlotBalance.Holder(id: $0.id, shard: $0.shard! < to ? $0.shard : nil, slots: $0.slots) }
        let transfers = SlotBalance.transfers(holders, shards: to)
        let after = apply(transfers, to: holders)
        #expect(SlotBalance.isBalanced(after, shards: to))
        #expect(after.filter { $0.shard == nil }.allSatisfy { $0.count == 0 })
        #expect(transfers.allSatisfy { transfer in holders.first { $0.id == transfer.sourceID }!.shard == nil })
    }

    /// Any map at all, from 3 to 12 holders of which some leave: balanced after, within one slot, and
    /// no more moved than the surplus over the targets.
    @Test func anyMapEndsBalanced() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<100 {
            let holderCount = Int.random(in: 3...12, using: &generator)
            let declared = Int.random(in: 3...holderCount, using: &generator)
            var cuts = (0..<(holderCount - 1)).map { _ in Int.random(in: 0..<SlotRange.slotCount, using: &generator) }.sorted()
            cuts = [0] + cuts + [SlotRange.slotCount]
            var holders: [SlotBalance.Holder] = []
            for index in 0..<holderCount {
                let slots = cuts[index] < cuts[index + 1] ? [SlotRange(cuts[index], cuts[index + 1] - 1)] : []
                holders.append(SlotBalance.Holder(id: id(index), shard: index < declared ? index : nil, slots: slots))
            }
            let transfers = SlotBalance.transfers(holders, shards: declared)
            let after = apply(transfers, to: holders)
            #expect(SlotBalance.isBalanced(after, shards: declared), "\(holders)")
            let targets = SlotBalance.targets(holders, shards: declared)
            let surplus = holders.reduce(0) { total, holder in total + max(0, holder.count - (holder.shard.map { targets[$0]! } ?? 0)) }
            #expect(transfers.reduce(0) { $0 + $1.slots.reduce(0) { $0 + $1.count } } == surplus)
        }
    }

    @Test func theExtraSlotsGoToTheShardsThatHaveMost() {
        // 16384 = 5 * 3276 + 4: the four old shards keep one more, so only 3276 * ... move to the new one.
        let holders = fresh(4) + [SlotBalance.Holder(id: id(4), shard: 4, slots: [])]
        #expect(SlotBalance.targets(holders, shards: 5) == [0: 3277, 1: 3277, 2: 3277, 3: 3277, 4: 3276])
        #expect(SlotBalance.ranges(of: [1, 2, 3, 7, 9, 10]) == [SlotRange(1, 3), SlotRange(7, 7), SlotRange(9, 10)])
    }
}

/// A small seeded generator, so every run checks the same maps.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// Two digits at least.
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
