import JoinLogic
import Platform

/// The memory limit of the container this process runs in, from its cgroup (`MaxMemory.limitFiles`).
enum ContainerMemory {
    /// The first limit file that can be read decides; nil when there is none or it says "no limit".
    static func limit() -> UInt64? {
        guard let cgroups = try? Files.readText("/proc/self/cgroup") else { return nil }
        for file in MaxMemory.limitFiles(procSelfCgroup: cgroups) {
            if let text = try? Files.readText(file) { return MaxMemory.limit(fileText: text) }
        }
        return nil
    }
}
