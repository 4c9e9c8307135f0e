import Foundation
import WordmillSupport

/// Writes one artifact: sections streamed as chunked zstd frames into a temporary file,
/// then the index, then the prologue, then an atomic rename (`commit`).
///
/// A frame never splits one `append` call, so records appended whole never straddle
/// frames; typed arrays are split only at element boundaries.
///
/// Frames are compressed on two background threads while the caller fills the next one (at
/// most three frames in flight) and written in order, each after the one before it, so the
/// bytes are those of a sequential writer. State the frame jobs touch (`file`, `position`,
/// `finishedFrames`) is touched by one job at a time, in frame order, and read by the caller
/// only after `drain()`; `failure` is behind a lock. Ending a section does not wait for its
/// frames: the caller goes on to the next section while they compress, and the sections
/// learn their frames at `commit`.
public final class ArtifactWriter: @unchecked Sendable {
    public let path: String
    private let file: AtomicFile
    /// A frame closes once it holds this many bytes (an `append` is never split).
    public let frameBytes: Int
    private var position = ArtifactLayout.prologueSize
    private var sections: [SectionEntry] = []
    private var current: SectionEntry?
    private var buffer: [UInt8] = []
    /// Frame buffers the queue has finished with, kept for the next frames so that filling
    /// one touches pages already mapped (a fresh 4 MB buffer costs a thousand page faults).
    private var spareBuffers: [[UInt8]] = []
    private let spareLock = NSLock()
    /// Two threads compress frames, alternately, each with a context of its own: the last
    /// frames of a stage (its token stream's tail, then its stored counts) compress side by
    /// side while the stage waits for them.
    private let workers = (0..<2).map { DispatchQueue(label: "wordmill.artifact-writer.\($0)") }
    private let compressors: [Zstd.Compressor]
    private let inFlight = DispatchSemaphore(value: 3)
    /// Signalled once the latest frame handed off is written (at first: nothing to wait for).
    private var lastWritten = ArtifactWriter.signalled()
    private let pending = DispatchGroup()
    private var finishedFrames: [FrameEntry] = []
    /// Frames handed to the queue so far, and where each ended section's frames start and end
    /// among them (`finishedFrames` holds them in the same order once drained).
    private var framesSubmitted = 0
    private var sectionFrames: [Range<Int>] = []
    private var currentFirstFrame = 0
    /// The first error a frame job met; behind `failureLock`, since the caller checks it
    /// before handing off each frame while the jobs may be setting it.
    private var failure_: ArtifactError?
    private let failureLock = NSLock()
    private var failure: ArtifactError? {
        get { failureLock.withLock { failure_ } }
        set { failureLock.withLock { failure_ = newValue } }
    }

    /// Opens a temporary file beside `path`.
    public init(path: String, frameBytes: Int = ArtifactLayout.defaultFrameBytes, level: Int32 = 1) throws(ArtifactError) {
        self.path = path
        self.frameBytes = max(frameBytes, 64)
        compressors = try [Zstd.Compressor(level: level), Zstd.Compressor(level: level)]
        file = try AtomicFile(finalPath: path)
        try file.write([UInt8](repeating: 0, count: ArtifactLayout.prologueSize))
        buffer.reserveCapacity(self.frameBytes)
    }

    /// Starts a section; the previous one must have ended.
    public func beginSection(_ name: String, type: ElementType) {
        precondition(current == nil, "section '\(current!.name)' was not ended")
        precondition(!sections.contains { $0.name == name }, "section '\(name)' written twice")
        current = SectionEntry(name: name, type: type, count: 0, rawBytes: 0, frames: [])
        currentFirstFrame = framesSubmitted
    }

    /// Appends raw bytes (one or more whole records) to the open section.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
        guard current != nil else { preconditionFailure("append outside a section") }
        if !buffer.isEmpty, buffer.count + bytes.count > frameBytes { try flushFrame() }
        buffer.append(contentsOf: bytes)
        if buffer.count >= frameBytes { try flushFrame() }
    }

    /// Appends fixed-width values, splitting only at element boundaries.
    public func append<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>) throws(ArtifactError) {
        let perFrame = max(1, frameBytes / MemoryLayout<T>.stride)
        var start = 0
        while start < values.count {
            let end = min(values.count, start + perFrame)
            try append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: values[start..<end])))
            start = end
        }
    }

    /// Appends an array of fixed-width values.
    public func append<T: BitwiseCopyable>(_ values: [T]) throws(ArtifactError) {
        try values.withUnsafeBufferPointer { (p) throws(ArtifactError) in try append(p) }
    }

    /// Ends the open section. `count` is required for `records`; typed sections derive it.
    public func endSection(count: Int? = nil) throws(ArtifactError) {
        try flushFrame()
        guard var section = current else { preconditionFailure("endSection without a section") }
        sectionFrames.append(currentFirstFrame..<framesSubmitted)
        if let width = section.type.width {
            precondition(section.rawBytes % width == 0, "section '\(section.name)' is not a whole number of elements")
            section.count = section.rawBytes / width
        } else {
            section.count = count ?? 0
        }
        sections.append(section)
        current = nil
    }

    /// Writes a whole typed section in one call.
    public func writeSection<T: BitwiseCopyable>(_ name: String, type: ElementType, values: [T]) throws(ArtifactError) {
        beginSection(name, type: type)
        try append(values)
        try endSection()
    }

    /// Hands the full buffer to the background queue, which compresses, writes and records it.
    private func flushFrame() throws(ArtifactError) {
        guard !buffer.isEmpty else { return }
        if let failure { throw failure }
        // The frame moves into a box the queue alone holds, so the queue can empty it and keep
        // its pages (emptying an array another reference shares would allocate a new one).
        current!.rawBytes += buffer.count
        let raw = FrameBuffer(buffer)
        buffer = []
        framesSubmitted += 1
        buffer = spareLock.withLock { spareBuffers.popLast() } ?? []
        buffer.reserveCapacity(frameBytes)
        // The frame compresses as soon as its thread is free, then waits for the frame before
        // it to be written, then writes.
        let turn = lastWritten, written = DispatchSemaphore(value: 0)
        lastWritten = written
        let worker = (framesSubmitted - 1) % workers.count
        inFlight.wait()
        pending.enter()
        workers[worker].async { [self] in
            defer {
                inFlight.signal()
                pending.leave()
            }
            var bytes = raw.take()
            var compressed = UnsafeRawBufferPointer(start: nil, count: 0)
            var failed: ArtifactError?
            bytes.withUnsafeBytes { b in
                do throws(ArtifactError) { compressed = try compressors[worker].compress(b) } catch { failed = error }
            }
            turn.wait()
            if failure == nil {
                do throws(ArtifactError) {
                    if let failed { throw failed }
                    try file.write(compressed)
                    finishedFrames.append(FrameEntry(offset: position, compressedBytes: compressed.count, rawBytes: bytes.count,
                                                     checksum: XXH64.hash(compressed)))
                    position += compressed.count
                } catch {
                    // A codec failure is named as a write failure of this file; a write error is one already.
                    if case .codec = error { failure = .writeFailed(path: path, reason: "\(error)") } else { failure = error }
                }
            }
            written.signal()
            bytes.removeAll(keepingCapacity: true)
            spareLock.withLock {
                // Dropped here too, inside the lock, so the spare is unique when it is taken.
                spareBuffers.append(bytes)
                bytes = []
            }
        }
    }

    /// Waits until every handed-off frame is written; rethrows the first failure.
    private func drain() throws(ArtifactError) {
        pending.wait()
        if let failure { throw failure }
    }

    /// Writes the index and prologue, flushes and renames into place. The sections in
    /// `header` are replaced by those written. Not `durable`: renamed without waiting for the
    /// disk (still all or nothing under the final name), for scratch files a run removes itself.
    public func commit(header: ArtifactHeader, durable: Bool = true) throws(ArtifactError) {
        precondition(current == nil, "section '\(current?.name ?? "")' was not ended")
        try drain()
        var header = header
        header.sections = zip(sections, sectionFrames).map { section, frames in
            var section = section
            section.frames = Array(finishedFrames[frames])
            return section
        }
        header.formatVersion = ArtifactHeader.currentFormatVersion
        let index = Array(header.indexJSON.canonicalText.utf8)
        var tail = index
        ArtifactLayout.appendLE(XXH64.hash(index), to: &tail)
        try file.write(tail)
        try file.write(ArtifactLayout.prologue(indexOffset: position, indexLength: index.count), at: 0)
        try file.commit(durable: durable)
    }

    /// A semaphore created at 0 and signalled once: libdispatch traps when a semaphore is
    /// freed below the value it was created with, and the first frame's wait takes this one's.
    private static func signalled() -> DispatchSemaphore {
        let s = DispatchSemaphore(value: 0)
        s.signal()
        return s
    }

    /// Abandons the artifact; nothing appears under the final name.
    public func discard() {
        pending.wait()
        file.discard()
    }
}

/// A frame's bytes on their way to the compressing queue, held by nothing else.
private final class FrameBuffer: @unchecked Sendable {
    private var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    /// The bytes, moved out (the box is left empty).
    func take() -> [UInt8] {
        let out = bytes
        bytes = []
        return out
    }
}
