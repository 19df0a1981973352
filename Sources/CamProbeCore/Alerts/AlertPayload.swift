import Foundation

/// The body an alert route sends, in its format's documented shape:
/// - `json`: the CloudEvent (structured mode, `application/cloudevents+json`),
///   or for a digest the CloudEvents batch format (a JSON array,
///   `application/cloudevents-batch+json`);
/// - `telegram`: Bot API `sendMessage`: `{"chat_id", "text", "disable_web_page_preview"}`
///   (plain text: no `parse_mode`, so school names need no escaping);
/// - `slack`: incoming webhook `{"text"}` (Slack and Mattermost).
public struct AlertPayload: Sendable, Equatable {
    public var contentType: String
    public var body: [UInt8]

    public static func make(_ events: [CloudEvent], route: AlertRoute) -> AlertPayload {
        let text = AlertText(language: route.language)
        switch route.format {
        case .json:
            if events.count == 1 {
                return AlertPayload(contentType: "application/cloudevents+json", body: Array(events[0].json()))
            }
            let encoded = (try? CloudEvent.encoder().encode(events)) ?? Data("[]".utf8)
            return AlertPayload(contentType: "application/cloudevents-batch+json", body: Array(encoded))
        case .telegram:
            let message = events.count == 1 ? text.message(events[0]) : text.digest(events)
            return json(["chat_id": route.chatID ?? "", "text": clip(message, 4096), "disable_web_page_preview": true])
        case .slack:
            let message = events.count == 1 ? text.message(events[0]) : text.digest(events)
            return json(["text": message])
        }
    }

    private static func json(_ object: [String: any Sendable]) -> AlertPayload {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return AlertPayload(contentType: "application/json", body: Array(data))
    }

    /// Telegram refuses messages over 4096 characters.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
