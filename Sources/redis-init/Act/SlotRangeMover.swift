import JoinLogic

/// One way of moving slots between two masters. `LegacySlotMover` is the protocol every server we run
/// has; an atomic one (Valkey 9 `CLUSTER MIGRATESLOTS`, Redis 8.4 `CLUSTER MIGRATION IMPORT`) can take
/// its place behind this, found by `COMMAND INFO` (docs/DESIGN.md, "Changing the declaration").
protocol SlotRangeMover: Sendable {
    /// Moves every slot of `move` and returns the number of keys moved. Resumable: a slot found half
    /// moved (open on either side, or already arrived) is finished, not started over.
    func perform(_ move: SlotMove) throws -> Int
}
