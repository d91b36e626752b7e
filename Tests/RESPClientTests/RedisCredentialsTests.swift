import Testing

@testable import RESPClient

@Suite struct RedisCredentialsTests {
    @Test func descriptionNeverShowsThePassword() {
        let withUser = RedisCredentials(user: "agent", password: "s3cret-value")
        let withoutUser = RedisCredentials(user: nil, password: "s3cret-value")
        #expect(!"\(withUser)".contains("s3cret"))
        #expect(!"\(withoutUser)".contains("s3cret"))
        #expect(withUser.authCommand == ["AUTH", "agent", "s3cret-value"])
        #expect(withoutUser.authCommand == ["AUTH", "s3cret-value"])
    }

    /// The lines `init --auth-conf` writes: quoted so that redis.conf's parser reads back the exact
    /// bytes (the integration suite starts a real server with them).
    @Test func serverConfigQuotesEveryByte() {
        #expect(RedisCredentials(user: nil, password: "plain").serverConfig == "requirepass \"plain\"\nmasterauth \"plain\"\n")
        #expect(RedisCredentials(user: "agent", password: "pw").serverConfig == "masteruser \"agent\"\nmasterauth \"pw\"\n")
        #expect(RedisCredentials.quoted("a \"b\" \\c") == #""a \"b\" \\c""#)
        #expect(RedisCredentials.quoted("ü\n#") == #""\xc3\xbc\x0a#""#)
    }
}
