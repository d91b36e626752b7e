import Declaration

extension SlotRange {
    /// The parts of this range that none of `taken` covers, in order.
    public func subtracting(_ taken: [SlotRange]) -> [SlotRange] {
        var remaining = [self]
        for cut in taken {
            remaining = remaining.flatMap { piece -> [SlotRange] in
                guard cut.upper >= piece.lower, cut.lower <= piece.upper else { return [piece] }
                var parts: [SlotRange] = []
                if cut.lower > piece.lower { parts.append(SlotRange(piece.lower, cut.lower - 1)) }
                if cut.upper < piece.upper { parts.append(SlotRange(cut.upper + 1, piece.upper)) }
                return parts
            }
        }
        return remaining
    }

    /// Whether every slot of this range lies inside `outer`.
    public func isInside(_ outer: SlotRange) -> Bool { lower >= outer.lower && upper <= outer.upper }

    /// Whether the two ranges share a slot.
    public func overlaps(_ other: SlotRange) -> Bool { lower <= other.upper && other.lower <= upper }
}
