/// An open-addressing hash table from a word pair (packed as `i << 32 | j`) to its count in
/// units, growing up to a slot limit; `sortedEntries` empties it for a spill or the output.
struct PairCounts {
    static let empty = UInt64.max
    private(set) var keys: [UInt64]
    private(set) var units: [UInt64]
    private(set) var count = 0
    private var mask: Int
    private var shift: UInt64
    /// The table never grows past this many slots (16 bytes each).
    let maximumSlots: Int

    init(maximumSlots: Int) {
        var limit = 1 << 10
        while limit * 2 <= maximumSlots { limit *= 2 }
        self.maximumSlots = limit
        let size = min(limit, 1 << 16)
        keys = [UInt64](repeating: PairCounts.empty, count: size)
        units = [UInt64](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Whether the table is as full as it may get (time to spill).
    var isFull: Bool { keys.count == maximumSlots && count * 4 >= keys.count * 3 }

    @inline(__always)
    mutating func add(_ key: UInt64, _ amount: UInt64) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let inserted: Bool = keys.withUnsafeMutableBufferPointer { keys in
            units.withUnsafeMutableBufferPointer { units in
                while true {
                    let k = keys[slot]
                    if k == key {
                        units[slot] &+= amount
                        return false
                    }
                    if k == PairCounts.empty {
                        keys[slot] = key
                        units[slot] = amount
                        return true
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if inserted {
            count += 1
            if count * 2 > keys.count, keys.count < maximumSlots { grow() }
        }
    }

    /// The entries sorted by key; the table is left empty.
    mutating func sortedEntries() -> (keys: [UInt64], units: [UInt64]) {
        var order: [(UInt64, UInt64)] = []
        order.reserveCapacity(count)
        for s in keys.indices where keys[s] != PairCounts.empty { order.append((keys[s], units[s])) }
        order.sort { $0.0 < $1.0 }
        for s in keys.indices { keys[s] = PairCounts.empty }
        count = 0
        return (order.map(\.0), order.map(\.1))
    }

    private mutating func grow() {
        let oldKeys = keys, oldUnits = units
        let size = keys.count * 2
        keys = [UInt64](repeating: PairCounts.empty, count: size)
        units = [UInt64](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        for s in oldKeys.indices where oldKeys[s] != PairCounts.empty { add(oldKeys[s], oldUnits[s]) }
    }
}
