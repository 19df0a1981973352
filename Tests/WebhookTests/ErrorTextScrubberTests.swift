import Testing
@testable import Webhook

struct ErrorTextScrubberTests {
    private let scrubber = ErrorTextScrubber(
        url: "https://api.telegram.org/bot123456789:AAHsecretTOKEN/sendMessage?chat_id=-100200",
        redactedURL: "https://api.telegram.org/bot***/sendMessage"
    )

    @Test func scrub_rawURLInText_becomesRedactedURL() {
        let text = scrubber.scrub("Could not resolve https://api.telegram.org/bot123456789:AAHsecretTOKEN/sendMessage?chat_id=-100200")
        #expect(text == "Could not resolve https://api.telegram.org/bot***/sendMessage")
    }

    @Test func scrub_pieceOfTheSecretInText_isStarred_butHostStays() {
        let text = scrubber.scrub("bad path bot123456789:AAHsecretTOKEN at api.telegram.org\n")
        #expect(text == "bad path ***:*** at api.telegram.org")
        #expect(!text.contains("AAHsecret"))
        #expect(!text.contains("123456789"))
    }
}
