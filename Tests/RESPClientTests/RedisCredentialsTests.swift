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
}
