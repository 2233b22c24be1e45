extension BandwidthEstimator {
    /// Bits per second: where the estimate starts and the range it stays in.
    public struct Configuration: Sendable {
        public var initialBitrate: Int
        public var minimumBitrate: Int
        public var maximumBitrate: Int
        /// Nanoseconds of sending without any feedback after which the estimate is cut by
        /// `feedbackTimeoutFactor`, and again each such interval: the receiver, or the path
        /// back, is gone or badly congested.
        public var feedbackTimeout: UInt64
        public var feedbackTimeoutFactor: Double

        public init(
            initialBitrate: Int = 300_000, minimumBitrate: Int = 30_000, maximumBitrate: Int = 10_000_000,
            feedbackTimeout: UInt64 = 1_000_000_000, feedbackTimeoutFactor: Double = 0.8
        ) {
            self.minimumBitrate = max(1, minimumBitrate)
            self.maximumBitrate = max(self.minimumBitrate, maximumBitrate)
            self.initialBitrate = min(max(initialBitrate, self.minimumBitrate), self.maximumBitrate)
            self.feedbackTimeout = feedbackTimeout
            self.feedbackTimeoutFactor = feedbackTimeoutFactor
        }
    }
}
