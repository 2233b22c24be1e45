/// What a participant sends, as others should show it: microphone and camera on or muted, and
/// whether the video is a shared screen.
public struct MediaState: Equatable, Sendable, Codable {
    public var audio: Bool
    public var video: Bool
    public var screen: Bool

    public init(audio: Bool = true, video: Bool = true, screen: Bool = false) {
        self.audio = audio
        self.video = video
        self.screen = screen
    }
}
