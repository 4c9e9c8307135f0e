import Foundation

/// Merges each worker's sources (`streams[w]`: its table, dense rows and runs, whose keys no
/// other worker has) on a thread of its own, and interleaves the sorted results into
/// `output` on this thread. Returns the number of distinct pairs.
func mergeRowStreams(_ streams: [[RunCursor]], into output: inout CooccurrenceMatrix.EntryWriter) throws -> Int {
    let channels = streams.map { _ in EntryChannel() }
    let group = DispatchGroup()
    for (cursors, channel) in zip(streams, channels) {
        let job = RowMergeJob(cursors: cursors, channel: channel)
        group.enter()
        Thread {
            job.run()
            group.leave()
        }.start()
    }
    defer {
        for channel in channels { channel.cancel() }
        group.wait()
    }
    var heads = try channels.map { try $0.next() }
    var positions = [Int](repeating: 0, count: channels.count)
    var written = 0
    while true {
        var best = -1, bestKey = UInt64.max
        for c in heads.indices {
            guard let block = heads[c] else { continue }
            let key = block[positions[c]].key
            if best < 0 || key < bestKey { best = c; bestKey = key }
        }
        if best < 0 { break }
        try output.append(key: bestKey, units: heads[best]![positions[best]].units)
        written += 1
        positions[best] += 1
        if positions[best] == heads[best]!.count {
            heads[best] = try channels[best].next()
            positions[best] = 0
        }
    }
    return written
}

/// Blocks of merged entries from a worker's merge thread to the stage's thread: at most
/// `capacity` wait; `next` gives nil at the end and rethrows the merge's error.
private final class EntryChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var blocks: [[PairSlot]] = []
    private var done = false, cancelled = false
    private var failure: (any Error)?
    private let capacity = 4

    /// Hands over a block; false once the reader has gone.
    func put(_ block: [PairSlot]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while blocks.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        blocks.append(block)
        condition.broadcast()
        return true
    }

    func close(_ error: (any Error)?) {
        condition.lock()
        done = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The reader stops: a waiting `put` returns.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func next() throws -> [PairSlot]? {
        condition.lock()
        defer { condition.unlock() }
        while blocks.isEmpty && !done { condition.wait() }
        if !blocks.isEmpty {
            condition.broadcast()
            return blocks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }
}

/// One worker's final merge, run on a thread of its own into its channel.
private final class RowMergeJob: @unchecked Sendable {
    var cursors: [RunCursor]
    let channel: EntryChannel
    init(cursors: [RunCursor], channel: EntryChannel) {
        self.cursors = cursors
        self.channel = channel
    }

    func run() {
        struct Stopped: Error {}
        var block: [PairSlot] = []
        block.reserveCapacity(1 << 16)
        do {
            _ = try mergeRuns(&cursors) { key, units in
                block.append(PairSlot(key: key, units: units))
                if block.count == 1 << 16 {
                    guard channel.put(block) else { throw Stopped() }
                    block = []  // the channel holds the old array now
                    block.reserveCapacity(1 << 16)
                }
            }
            if !block.isEmpty { _ = channel.put(block) }
            channel.close(nil)
        } catch {
            channel.close(error)
        }
    }
}

