import Glibc

/// Small file helpers over open/read/write, so no Foundation is linked.
public enum Files {
    /// The whole file as bytes, or a `SystemError` naming the call that failed.
    public static func read(_ path: String, limit: Int = 16 << 20) throws(SystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError("open \(path)") }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError("read \(path)")
            }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// The whole file as UTF-8 text (invalid bytes repaired).
    public static func readText(_ path: String) throws(SystemError) -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// The permission bits of `path`, or nil when it cannot be stat'ed.
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    /// Whether `path` exists.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// Reads an environment variable; nil when unset.
public func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

extension Files {
    /// Replaces `path` with `bytes` so that a crash at any moment leaves either the old file or the new
    /// one: write a temporary file beside it, fsync it, rename it over, fsync the directory. With
    /// `backup`, the old contents are first copied to that path the same way.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644, backup: String? = nil) throws(SystemError) {
        if let backup, exists(path) {
            try writeAtomically(backup, try read(path), mode: Files.mode(of: path).map { $0 & 0o777 } ?? mode)
        }
        let temporary = path + ".redis-init.tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw SystemError("open \(temporary)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let error = SystemError("write \(temporary)")
                close(descriptor)
                unlink(temporary)
                throw error
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let error = SystemError("fsync \(temporary)")
            close(descriptor)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw SystemError("rename \(temporary) to \(path)") }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
