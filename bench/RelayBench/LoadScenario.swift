/// One benchmark load: rooms of publishers and subscribers, the media they send and for how long.
struct LoadScenario: Codable {
    var name: String
    var rooms: Int
    /// Participants who publish; each also receives the other publishers of its room.
    var publishers: Int
    /// Participants who only receive.
    var subscribers: Int
    var audioOnly: Bool
    /// Video packets a second per publisher for max-rate runs; nil sends at the media's pace.
    var videoPacketsPerSecond: Int?
    var seconds: Double
    var warmupSeconds: Double
    /// Decode everything received with libvpx and libopus (costly: for small runs).
    var verify: Bool
    /// Bad datagrams a second sent to the relay's media port during warm-up and the window
    /// (`Flooder`); 0 for none.
    var floodRate = 0
    /// Publishers send three simulcast layers (`LoadRun.simulcastClips`), and the receive-only
    /// subscribers show them at mixed sizes (`SimulcastTiles`).
    var simulcast = false
    /// The window goes on past `seconds`, up to `maximumSeconds`, until the SFU has used this
    /// much CPU in it: below about a second, a CPU figure per packet is mostly noise.
    var minimumCpuSeconds = 0.0
    var maximumSeconds: Double

    /// Subscribers of each published track.
    var fanOut: Int { publishers - 1 + subscribers }
}
