/// A server reached over TLS: the files to use, and the name its certificate must carry (the pod's
/// DNS name the agent meant).
public struct TLSPeer: Sendable, Equatable {
    public let files: TLSFiles
    public let serverName: String

    public init(files: TLSFiles, serverName: String) {
        self.files = files
        self.serverName = serverName
    }
}
