import Testing

@testable import JoinLogic

@Suite struct MaxMemoryTests {
    static let mib: UInt64 = 1 << 20

    /// The decision table, row by row.
    @Test(arguments: [
        (0, UInt64?(128 * mib), UInt64(0), MaxMemory.Decision.leave),
        (75, nil, 0, .leave),
        (75, nil, 64 * mib, .leave),
        (75, 128 * mib, 0, .set(bytes: 96 * mib, limit: 128 * mib, percent: 75)),
        (100, 128 * mib, 0, .set(bytes: 128 * mib, limit: 128 * mib, percent: 100)),
        (75, 128 * mib, 64 * mib, .configured(bytes: 64 * mib, limit: 128 * mib)),
        (75, 128 * mib, 128 * mib, .configured(bytes: 128 * mib, limit: 128 * mib)),
        (75, 128 * mib, 256 * mib, .aboveLimit(bytes: 256 * mib, limit: 128 * mib)),
    ])
    func decides(percent: Int, limit: UInt64?, configured: UInt64, expected: MaxMemory.Decision) {
        #expect(MaxMemory.decide(percent: percent, containerLimit: limit, configured: configured) == expected)
    }

    @Test func readsTheLimitFilesOfCgroupV2V1AndHybrid() {
        #expect(MaxMemory.limitFiles(procSelfCgroup: "0::/\n") == ["/sys/fs/cgroup/memory.max"])
        #expect(
            MaxMemory.limitFiles(procSelfCgroup: "0::/kubepods/pod1/abc\n")
                == ["/sys/fs/cgroup/kubepods/pod1/abc/memory.max", "/sys/fs/cgroup/memory.max"])
        #expect(
            MaxMemory.limitFiles(procSelfCgroup: "9:name=systemd:/\n4:memory:/machine.slice/libpod-1\n0::/\n")
                == [
                    "/sys/fs/cgroup/memory/machine.slice/libpod-1/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                    "/sys/fs/cgroup/memory.max",
                ])
        #expect(
            MaxMemory.limitFiles(procSelfCgroup: "3:cpu,memory:/\n")
                == ["/sys/fs/cgroup/memory/memory.limit_in_bytes"])
        // Nothing outside /sys/fs/cgroup, whatever the file says.
        #expect(MaxMemory.limitFiles(procSelfCgroup: "0::/../../etc\n4:memory:relative\ngarbage\n").isEmpty)
    }

    @Test func readsLimitValues() {
        #expect(MaxMemory.limit(fileText: "134217728\n") == 128 * Self.mib)
        #expect(MaxMemory.limit(fileText: "max\n") == nil)
        #expect(MaxMemory.limit(fileText: "9223372036854771712\n") == nil)  // v1's "no limit"
        #expect(MaxMemory.limit(fileText: "0\n") == nil)
        #expect(MaxMemory.limit(fileText: "") == nil)
    }
}
