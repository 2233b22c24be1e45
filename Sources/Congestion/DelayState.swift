/// What the delay-based detector concludes from the trend of one-way delay
/// (draft-ietf-rmcat-gcc-02 §5.4): the queue on the path is growing (overusing), draining
/// (underusing), or neither.
public enum DelayState: Sendable, Equatable {
    case normal
    case overusing
    case underusing
}
