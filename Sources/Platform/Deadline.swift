import Glibc

/// A point on the monotonic clock; every wait in the agent is bounded by one.
public struct Deadline: Comparable, Sendable {
    /// Nanoseconds on CLOCK_MONOTONIC.
    public let nanoseconds: UInt64

    /// Wraps a monotonic nanosecond count.
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// The current instant.
    public static func now() -> Deadline {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Deadline(nanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
    }

    /// The instant `seconds` from now.
    public static func after(seconds: Double) -> Deadline {
        now().adding(seconds: seconds)
    }

    /// This instant moved `seconds` later.
    public func adding(seconds: Double) -> Deadline {
        Deadline(nanoseconds: nanoseconds &+ UInt64(max(0, seconds) * 1e9))
    }

    /// Whether the instant is in the past.
    public var hasPassed: Bool { Deadline.now() >= self }

    /// Milliseconds left, rounded up, never negative; the form `poll` wants.
    public var remainingMilliseconds: Int32 {
        let now = Deadline.now().nanoseconds
        guard nanoseconds > now else { return 0 }
        return Int32(clamping: (nanoseconds - now + 999_999) / 1_000_000)
    }

    /// Seconds elapsed since `start`.
    public func seconds(since start: Deadline) -> Double {
        Double(Int64(bitPattern: nanoseconds &- start.nanoseconds)) / 1e9
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

/// Sleeps for `seconds`, resuming after signals until the time is spent.
public func sleep(seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
        request = remaining
    }
}
