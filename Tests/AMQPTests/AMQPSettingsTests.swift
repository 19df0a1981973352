import AMQP
import Testing

struct AMQPSettingsTests {
    func parse(_ url: String) throws(AMQPError) -> AMQPSettings {
        try AMQPSettings(url: url, user: "camprobe", password: "s3cret", exchange: "camprobe")
    }

    @Test func url_amqpWithoutPortOrPath_defaults5672AndRootVHost() throws {
        let settings = try parse("amqp://rabbit.school.local")
        #expect(settings.host == "rabbit.school.local")
        #expect(settings.port == 5672)
        #expect(settings.virtualHost == "/")
        #expect(!settings.useTLS)
        #expect(settings.endpoint == "amqp://rabbit.school.local:5672/")
    }

    @Test func url_amqpsWithPortAndEncodedVHost_decodesVHost() throws {
        let settings = try parse("amqps://10.0.0.5:5999/cam%2Fprobe")
        #expect(settings.useTLS)
        #expect(settings.port == 5999)
        #expect(settings.virtualHost == "cam/probe")
        #expect(settings.endpoint == "amqps://10.0.0.5:5999/cam%2Fprobe")
    }

    @Test func url_amqpsWithoutPort_defaults5671() throws {
        #expect(try parse("amqps://broker/").port == 5671)
        #expect(try parse("amqps://broker/%2F").virtualHost == "/")
    }

    @Test func url_withCredentials_isRejectedWithoutEchoingThem() {
        let error = #expect(throws: AMQPError.self) { try parse("amqp://guest:hunter2@broker/") }
        #expect(error?.code == .invalidURL)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("credentials in the URL are not accepted") == true)
    }

    @Test func url_otherScheme_isRejected() {
        let error = #expect(throws: AMQPError.self) { try parse("http://broker:5672/") }
        #expect(error?.description == "http://broker:5672/: invalid AMQP URL: scheme must be amqp or amqps, not http")
    }

    @Test func url_nestedPath_isRejected() {
        #expect(throws: AMQPError.self) { try parse("amqp://broker/a/b") }
    }

    @Test func redactedDescription_neverContainsPassword() throws {
        let settings = try parse("amqp://broker/")
        #expect(!settings.redactedDescription.contains("s3cret"))
        #expect(settings.redactedDescription == "amqp://broker:5672/ (user camprobe, exchange camprobe)")
        #expect(!"\(settings)".contains("s3cret"))
        #expect(!String(reflecting: settings).contains("s3cret"))
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("s3cret"))
    }
}
