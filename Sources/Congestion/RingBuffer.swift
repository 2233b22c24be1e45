/// A first-in first-out queue over one growable ring of storage, so that pushing at the back
/// and popping at the front cost no allocation once the ring is big enough (an `Array`'s
/// `removeFirst` moves every element). The ring's size is a power of two, so a place in it is a
/// mask, not a division: a rate window touches its newest sample for every packet sent.
struct RingBuffer<Element: Sendable>: Sendable {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    var first: Element? { count == 0 ? nil : storage[head] }

    var last: Element? { count == 0 ? nil : storage[physical(count - 1)] }

    /// The element `index` places from the front.
    subscript(index: Int) -> Element {
        get { storage[physical(index)]! }
        set { storage[physical(index)] = newValue }
    }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[physical(count)] = element
        count += 1
    }

    @discardableResult
    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    mutating func removeAll() {
        while popFirst() != nil {}
    }

    private func physical(_ index: Int) -> Int { (head + index) & (storage.count - 1) }

    private mutating func grow() {
        var larger = [Element?](repeating: nil, count: max(16, storage.count * 2))
        for index in 0..<count { larger[index] = storage[physical(index)] }
        storage = larger
        head = 0
    }
}
