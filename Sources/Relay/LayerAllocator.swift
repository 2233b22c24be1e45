/// Shares a subscriber's estimated bandwidth among the video tracks it receives, choosing one
/// layer of each: what fits the estimate, and no larger than the tile the subscriber shows it
/// in. Sans-IO and stateless; `LayerSwitchPolicy` adds the time hysteresis.
///
/// Tracks are served in order of priority, then by tile area: each first gets its lowest
/// layer; then the highest priority (the active speaker) climbs as far as the budget allows,
/// and the others step up one layer per round while the rest allows, so a tight estimate gives
/// everyone a picture before anyone but the speaker gets a sharp one. Bandwidth hysteresis:
/// a step above what a track receives now must fit with `upShare` of its cost, and the lowest
/// layer is kept down to `keepLowestShare` of its cost (resumed after a pause only with
/// `upShare`) — pausing video is the last resort.
public enum LayerAllocator {
    public static let upShare = 1.15
    public static let keepLowestShare = 0.5
    /// The cost of a layer that just started and has no measured rate yet.
    public static let minimumLayerCost = 30_000

    public struct Layer: Sendable, Equatable {
        public var bitrate: Int
        /// The picture size, 0 when unknown.
        public var width: Int
        public var height: Int
        public var isActive: Bool

        public init(bitrate: Int, width: Int = 0, height: Int = 0, isActive: Bool = true) {
            self.bitrate = bitrate
            self.width = width
            self.height = height
            self.isActive = isActive
        }

        var cost: Int { max(bitrate, LayerAllocator.minimumLayerCost) }
    }

    /// One video track the subscriber receives.
    public struct Request: Sendable, Equatable {
        /// By index, as the publisher sends them (any order of quality).
        public var layers: [Layer]
        public var displaySize: DisplaySize?
        /// The layer the subscriber receives now, or is about to (at its next keyframe).
        public var current: Int?
        /// Whether the track's video is held back from the subscriber for bandwidth now.
        public var isPaused: Bool
        /// Higher is served first (the active speaker).
        public var priority: Int

        public init(layers: [Layer], displaySize: DisplaySize? = nil, current: Int? = nil, isPaused: Bool = false, priority: Int = 0) {
            self.layers = layers
            self.displaySize = displaySize
            self.current = current
            self.isPaused = isPaused
            self.priority = priority
        }
    }

    public enum Choice: Sendable, Equatable {
        case layer(Int)
        /// The estimate cannot carry even the lowest layer.
        case paused
        /// The subscriber does not show the track: no video, whatever the estimate.
        case hidden

        public var layer: Int? {
            if case .layer(let index) = self { return index }
            return nil
        }
    }

    /// One choice per request, in the requests' order.
    public static func allocate(budget: Int, requests: [Request]) -> [Choice] {
        var choices = [Choice](repeating: .paused, count: requests.count)
        var ladders = requests.map(ladder(of:))
        for index in requests.indices where !(requests[index].displaySize?.isVisible ?? true) {
            choices[index] = .hidden
            ladders[index] = []
        }
        let order = requests.indices.sorted { left, right in
            let a = requests[left]
            let b = requests[right]
            if a.priority != b.priority { return a.priority > b.priority }
            return area(a.displaySize) > area(b.displaySize)
        }
        // Rung on each ladder, per request. Whether a track keeps its lowest layer is weighed
        // by the shares of all served before it; the full costs are what is left to climb with.
        var rungs = [Int?](repeating: nil, count: requests.count)
        var reserved = 0.0
        var used = 0.0
        for index in order {
            guard let lowest = ladders[index].first else { continue }
            let cost = Double(requests[index].layers[lowest].cost)
            let share = requests[index].isPaused ? upShare : keepLowestShare
            guard reserved + cost * share <= Double(budget) else { continue }
            rungs[index] = 0
            reserved += cost * share
            used += cost
        }
        var remaining = Double(budget) - used
        // Higher priorities climb as far as they can before the next priority's rounds.
        for priority in Set(requests.map(\.priority)).sorted(by: >) {
            let group = order.filter { requests[$0].priority == priority }
            climb(group, requests: requests, ladders: ladders, rungs: &rungs, remaining: &remaining)
        }
        for index in requests.indices {
            if let rung = rungs[index] { choices[index] = .layer(ladders[index][rung]) }
        }
        return choices
    }

    /// Steps each of `group` up one layer per round while the budget allows.
    private static func climb(
        _ group: [Int], requests: [Request], ladders: [[Int]], rungs: inout [Int?], remaining: inout Double
    ) {
        var stepped = true
        while stepped {
            stepped = false
            for index in group {
                guard let rung = rungs[index], rung + 1 < ladders[index].count else { continue }
                let request = requests[index]
                let from = request.layers[ladders[index][rung]].cost
                let next = ladders[index][rung + 1]
                let to = request.layers[next].cost
                let currentRung = request.current.flatMap { ladders[index].firstIndex(of: $0) } ?? -1
                let share = rung + 1 > currentRung ? upShare : 1.0
                guard Double(to) * share - Double(from) <= remaining else { continue }
                rungs[index] = rung + 1
                remaining -= Double(to - from)
                stepped = true
            }
        }
    }

    /// The active layers worth sending, lowest first, up to the first that covers the tile
    /// (all of them when the tile's size or the layers' are unknown).
    static func ladder(of request: Request) -> [Int] {
        let active = request.layers.indices.filter { request.layers[$0].isActive }
        let sorted = active.sorted { left, right in
            let a = request.layers[left]
            let b = request.layers[right]
            let areaA = a.width * a.height
            let areaB = b.width * b.height
            if areaA != areaB, areaA > 0, areaB > 0 { return areaA < areaB }
            if a.bitrate != b.bitrate { return a.bitrate < b.bitrate }
            return left < right
        }
        guard let size = request.displaySize, size.isVisible else { return sorted }
        // The tile is filled (`object-fit: cover`): a layer covers it when it is at least as
        // wide and as tall, with a tenth's tolerance for rounding.
        guard let covering = sorted.firstIndex(where: { index in
            let layer = request.layers[index]
            return layer.width * 10 >= size.width * 9 && layer.height * 10 >= size.height * 9
        }) else { return sorted }
        return Array(sorted[...covering])
    }

    private static func area(_ size: DisplaySize?) -> Int {
        guard let size else { return Int.max }
        return size.width * size.height
    }
}
