import CPrefetch

/// One entry of a pair table or a spilled run: the pair packed as `i << 32 | j`, and its
/// count in units. Key and count share a cache line, so an add costs one miss.
struct PairSlot: BitwiseCopyable {
    var key: UInt64
    var units: UInt64
}

/// An open-addressing hash table from a word pair (packed as `i << 32 | j`) to its count in
/// units, growing up to a slot limit; `sortEntries` then `withSortedEntries` hand its entries in
/// key order to a spill or the output.
struct PairCounts {
    static let empty = UInt64.max
    private(set) var slots: [PairSlot]
    private(set) var count = 0
    /// Whether `sortEntries` has compacted and sorted the entries (no adds until `removeAll`).
    private(set) var isSorted = false
    private var mask: Int
    private var shift: UInt64
    /// The table never grows past this many slots (16 bytes each).
    let maximumSlots: Int

    init(maximumSlots: Int) {
        var limit = 1 << 10
        while limit * 2 <= maximumSlots { limit *= 2 }
        self.maximumSlots = limit
        slots = []
        mask = 0
        shift = 0
        resize(min(limit, 1 << 16))
    }

    /// Whether the table is as full as it may get (time to spill): 80 % of the largest size.
    /// Below the largest size it doubles at 50 %.
    var isFull: Bool { slots.count == maximumSlots && count * 5 >= slots.count * 4 }

    @inline(__always)
    mutating func add(_ key: UInt64, _ amount: UInt64) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let mask = mask
        let inserted: Bool = slots.withUnsafeMutableBufferPointer { slots in
            while true {
                let k = slots[slot].key
                if k == key {
                    slots[slot].units &+= amount
                    return false
                }
                if k == PairCounts.empty {
                    slots[slot] = PairSlot(key: key, units: amount)
                    return true
                }
                slot = (slot + 1) & mask
            }
        }
        if inserted {
            count += 1
            if count * 2 > slots.count, slots.count < maximumSlots { grow() }
        }
    }

    /// Starts loading the slot where `key`'s probe begins, ahead of its `add`.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        slots.withUnsafeBufferPointer { wordmill_prefetch($0.baseAddress! + slot, 16) }
    }

    /// Moves the entries to the front of the table's own array and sorts them there by key
    /// (so the peak memory is the table's, not twice it). Until `removeAll`, the table only
    /// serves `withSortedEntries`.
    mutating func sortEntries() {
        guard !isSorted else { return }
        let n = count
        slots.withUnsafeMutableBufferPointer { s in
            var front = 0
            for i in 0..<s.count where s[i].key != PairCounts.empty {
                s[front] = s[i]
                front += 1
            }
            PairSort.sort(UnsafeMutableBufferPointer(rebasing: s[0..<n]))
        }
        isSorted = true
    }

    /// Calls `body` with the entries sorted by key; `sortEntries` must have run.
    func withSortedEntries<R>(_ body: (UnsafeBufferPointer<PairSlot>) throws -> R) rethrows -> R {
        precondition(isSorted, "withSortedEntries before sortEntries")
        return try slots.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Empties the table; `keepingCapacity` keeps its size (a spilling table fills up again,
    /// and regrowing it by doubling would fault in fresh pages each time), else it is made
    /// small again.
    mutating func removeAll(keepingCapacity: Bool = false) {
        if keepingCapacity {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: PairSlot(key: PairCounts.empty, units: 0)) }
        } else {
            resize(min(maximumSlots, 1 << 16))
        }
        count = 0
        isSorted = false
    }

    /// An empty table of `size` slots (a power of two).
    private mutating func resize(_ size: Int) {
        slots = [PairSlot](repeating: PairSlot(key: PairCounts.empty, units: 0), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    private mutating func grow() {
        let old = slots
        resize(slots.count * 2)
        count = 0
        for slot in old where slot.key != PairCounts.empty { add(slot.key, slot.units) }
    }
}
