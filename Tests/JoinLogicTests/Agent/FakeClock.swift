import Platform

/// A monotonic clock the test moves by hand.
struct FakeClock {
    private(set) var now = Deadline(nanoseconds: 1_000_000_000)

    mutating func advance(_ seconds: Double) { now = now.adding(seconds: seconds) }
}
