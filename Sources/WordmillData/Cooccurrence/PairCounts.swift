/// An open-addressing hash table from a word pair (packed as `i << 32 | j`) to its count in
/// units, growing up to a slot limit; `sortEntries` then `withSortedEntries` hand its entries in
/// key order to a spill or the output.
struct PairCounts {
    static let empty = UInt64.max
    private(set) var keys: [UInt64]
    private(set) var units: [UInt64]
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
        let size = min(limit, 1 << 16)
        keys = [UInt64](repeating: PairCounts.empty, count: size)
        units = [UInt64](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Whether the table is as full as it may get (time to spill): 80 % of the largest size.
    /// Below the largest size it doubles at 50 %.
    var isFull: Bool { keys.count == maximumSlots && count * 5 >= keys.count * 4 }

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

    /// Moves the entries to the front of the table's own arrays and sorts them there by key
    /// (so the peak memory is the table's, not twice it). Until `removeAll`, the table only
    /// serves `withSortedEntries`.
    mutating func sortEntries() {
        guard !isSorted else { return }
        let n = count
        keys.withUnsafeMutableBufferPointer { k in
            units.withUnsafeMutableBufferPointer { u in
                var front = 0
                for s in 0..<k.count where k[s] != PairCounts.empty {
                    k[front] = k[s]
                    u[front] = u[s]
                    front += 1
                }
                PairCounts.sort(k.baseAddress!, u.baseAddress!, 0, n)
            }
        }
        isSorted = true
    }

    /// Calls `body` with the entries sorted by key; `sortEntries` must have run.
    func withSortedEntries<R>(_ body: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        precondition(isSorted, "withSortedEntries before sortEntries")
        return try keys.withUnsafeBufferPointer { k in
            try units.withUnsafeBufferPointer { u in
                try body(UnsafeBufferPointer(rebasing: k[0..<count]), UnsafeBufferPointer(rebasing: u[0..<count]))
            }
        }
    }

    /// Empties the table (and makes it small again).
    mutating func removeAll() {
        let size = min(maximumSlots, 1 << 16)
        keys = [UInt64](repeating: PairCounts.empty, count: size)
        units = [UInt64](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        isSorted = false
    }

    /// Sorts keys[lo..<hi] ascending, moving units along (quicksort, median of three,
    /// insertion sort below 24 elements; keys are distinct).
    static func sort(_ k: UnsafeMutablePointer<UInt64>, _ u: UnsafeMutablePointer<UInt64>, _ lo: Int, _ hi: Int) {
        var lo = lo, hi = hi
        while hi - lo > 24 {
            let mid = lo + (hi - lo) / 2
            let a = k[lo], b = k[mid], c = k[hi - 1]
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = lo, j = hi - 1
            while i <= j {
                while k[i] < pivot { i += 1 }
                while k[j] > pivot { j -= 1 }
                if i <= j {
                    (k[i], k[j]) = (k[j], k[i])
                    (u[i], u[j]) = (u[j], u[i])
                    i += 1
                    j -= 1
                }
            }
            // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
            if j - lo < hi - i {
                sort(k, u, lo, j + 1)
                lo = i
            } else {
                sort(k, u, i, hi)
                hi = j + 1
            }
        }
        if hi - lo < 2 { return }
        for i in (lo + 1)..<hi {
            let key = k[i], value = u[i]
            var j = i - 1
            while j >= lo && k[j] > key {
                k[j + 1] = k[j]
                u[j + 1] = u[j]
                j -= 1
            }
            k[j + 1] = key
            u[j + 1] = value
        }
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
