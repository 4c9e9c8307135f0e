import Foundation
import Testing
import WordmillTestSupport
@testable import WordmillArtifacts

/// Writes a small artifact with several sections, chunked into many frames.
func writeSample(_ path: String, frameBytes: Int = 64) throws -> ArtifactHeader {
    let writer = try ArtifactWriter(path: path, frameBytes: frameBytes)
    try writer.writeSection("ints", type: .i32, values: (0..<100).map { Int32($0 * 3 - 50) })
    try writer.writeSection("floats", type: .f32, values: (0..<10).map { Float($0) / 7 })
    writer.beginSection("words", type: .records)
    var record: [UInt8] = []
    for w in ["정말", "맛있다", ".", "a b"] {
        record.removeAll()
        RecordCoding.appendString(w, to: &record)
        try record.withUnsafeBytes { try writer.append($0) }
    }
    try writer.endSection(count: 4)
    let header = ArtifactHeader(kind: "sample", fingerprint: "f00d", stage: "s", op: "op",
                                parameters: ["dim": 3], counts: ["things": 100], metadata: ["note": "hi"])
    try writer.commit(header: header)
    return header
}

@Suite struct ArtifactRoundTripTests {
    /// A section read into a caller's buffer across many frames gives `readArray`'s values;
    /// a buffer of another size or width is refused, naming the section.
    @Test func aSectionReadsIntoACallersBuffer() throws {
        let dir = TemporaryDirectory()
        _ = try writeSample(dir.file("s.wma"))
        let reader = try ArtifactReader(path: dir.file("s.wma"))
        var ints = [Int32](repeating: 0, count: 100)
        try ints.withUnsafeMutableBufferPointer { try reader.read("ints", into: $0) }
        let expected: [Int32] = try reader.readArray("ints", as: Int32.self)
        #expect(ints == expected && ints[99] == 247)
        var short = [Int32](repeating: 0, count: 99), wide = [Int64](repeating: 0, count: 100)
        #expect(throws: ArtifactError.self) { try short.withUnsafeMutableBufferPointer { try reader.read("ints", into: $0) } }
        do {
            try wide.withUnsafeMutableBufferPointer { try reader.read("ints", into: $0) }
            Issue.record("a buffer of 8-byte values read a section of 4-byte ones")
        } catch {
            #expect("\(error)".contains("section 'ints'"))
        }
    }

    /// The writer compresses all its frames with one context: each frame must still be the
    /// bytes a fresh context gives (artifacts are the same bytes whatever came before).
    @Test func aReusedCompressorGivesTheBytesOfAFreshOne() throws {
        var state: UInt64 = 7
        let text = (0..<300_000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return UInt8(97 + (state >> 60))
        }
        let inputs: [[UInt8]] = [text, Array("정말 맛있다 ".utf8), Array(text[1000..<90_000]), [], text]
        let compressor = try Zstd.Compressor(level: 1)
        for input in inputs {
            let reused = try input.withUnsafeBytes { Array(try compressor.compress($0)) }
            let fresh = try input.withUnsafeBytes { try Zstd.compress($0, level: 1) }
            #expect(reused == fresh, "\(input.count) bytes")
            #expect(try reused.withUnsafeBytes { try Zstd.decompress($0, expectedSize: input.count) } == input)
        }
    }

    @Test func sectionsComeBackExactly() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("a.wma")
        _ = try writeSample(path)
        let reader = try ArtifactReader(path: path, kinds: ["sample"])
        #expect(reader.header.kind == "sample")
        #expect(reader.header.counts == ["things": 100])
        #expect(reader.header.parameters == ["dim": 3])
        #expect(try reader.readArray("ints", as: Int32.self) == (0..<100).map { Int32($0 * 3 - 50) })
        #expect(try reader.readArray("floats", as: Float.self) == (0..<10).map { Float($0) / 7 })
        #expect(try reader.section("ints").frames.count > 1)
        var words: [String] = []
        try reader.forEachFrame("words") { frame in
            var d = RecordDecoder(frame)
            while !d.isAtEnd { words.append(String(decoding: try d.string(), as: UTF8.self)) }
        }
        #expect(words == ["정말", "맛있다", ".", "a b"])
        try reader.verifyChecksums()
        #expect(throws: ArtifactError.missingSection(path: path, name: "nope")) { try reader.section("nope") }
        #expect(throws: ArtifactError.wrongKind(path: path, found: "sample", expected: ["vocab"])) { try ArtifactReader(path: path, kinds: ["vocab"]) }
    }

    @Test func sameInputSameBytes() throws {
        let dir = TemporaryDirectory()
        _ = try writeSample(dir.file("a.wma"))
        _ = try writeSample(dir.file("b.wma"))
        #expect(try FileSystem.readFile(dir.file("a.wma")) == FileSystem.readFile(dir.file("b.wma")))
    }

    @Test func discardedWriterLeavesNothing() throws {
        let dir = TemporaryDirectory()
        let writer = try ArtifactWriter(path: dir.file("x.wma"))
        try writer.writeSection("ints", type: .i32, values: [Int32(1)])
        writer.discard()
        #expect(FileSystem.listDirectory(dir.path).isEmpty)
    }

    @Test func futureVersionIsNamed() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("a.wma")
        _ = try writeSample(path)
        var bytes = try FileSystem.readFile(path)
        let indexOffset = Int(ArtifactLayout.readLE(UInt64.self, bytes, at: 16))
        let indexLength = Int(ArtifactLayout.readLE(UInt64.self, bytes, at: 24))
        let prologue = ArtifactLayout.prologue(indexOffset: indexOffset, indexLength: indexLength, version: 7)
        bytes.replaceSubrange(0..<40, with: prologue)
        try AtomicFile.write(bytes, to: path)
        #expect(throws: ArtifactError.unsupportedVersion(path: path, found: 7, supported: ArtifactHeader.currentFormatVersion)) {
            try ArtifactReader(path: path)
        }
    }
}

/// `ValueStream` appends values one at a time and must cut the frames `writeSection` cuts.
@Suite struct ValueStreamTests {
    @Test(arguments: [64, 100, 4096]) func streamedValuesGiveTheBytesOfASectionWrittenAtOnce(frameBytes: Int) throws {
        let dir = TemporaryDirectory()
        let values = (0..<1000).map { UInt64($0 * $0) }
        let small = (0..<37).map { UInt32($0) }
        func write(_ name: String, streamed: Bool) throws -> [UInt8] {
            let writer = try ArtifactWriter(path: dir.file(name), frameBytes: frameBytes)
            if streamed {
                var a = ValueStream<UInt64>(writer: writer, name: "a", type: .u64)
                for v in values { try a.append(v) }
                try a.finish()
                var b = ValueStream<UInt32>(writer: writer, name: "b", type: .u32)
                for v in small { try b.append(v) }
                try b.finish()
            } else {
                try writer.writeSection("a", type: .u64, values: values)
                try writer.writeSection("b", type: .u32, values: small)
            }
            try writer.commit(header: ArtifactHeader(kind: "k", fingerprint: "f", stage: "s", op: "o", parameters: .null))
            return try FileSystem.readFile(dir.file(name))
        }
        let streamed = try write("streamed.wma", streamed: true)
        #expect(streamed == (try write("whole.wma", streamed: false)))
        #expect(try ArtifactReader(path: dir.file("streamed.wma")).section("a").frames.count == (values.count * 8 + (frameBytes / 8 * 8) - 1) / (frameBytes / 8 * 8))
    }

    /// Ranges and streams of a section whose frames cut values in two (written as raw bytes
    /// in 7-byte pieces into 64-byte frames): every value comes back whole.
    @Test func rangesAndStreamsReadValuesAcrossFrames() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("split.wma")
        let values = (0..<500).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        let writer = try ArtifactWriter(path: path, frameBytes: 64)
        writer.beginSection("values", type: .u64)
        let bytes = values.withUnsafeBytes { Array($0) }
        for start in stride(from: 0, to: bytes.count, by: 7) {
            try bytes[start..<min(bytes.count, start + 7)].withUnsafeBytes { try writer.append($0) }
        }
        try writer.endSection()
        try writer.commit(header: ArtifactHeader(kind: "sample", fingerprint: "f", stage: "s", op: "op"))
        let reader = try ArtifactReader(path: path)
        #expect(try reader.section("values").frames.contains { $0.rawBytes % 8 != 0 }, "no frame cuts a value")
        let cache = FrameCache()
        for range in [0..<500, 0..<1, 7..<8, 123..<377, 499..<500, 250..<250] {
            #expect(try reader.readValues("values", range, as: UInt64.self) == Array(values[range]))
            #expect(try reader.readValues("values", range, as: UInt64.self, cache: cache) == Array(values[range]))
        }
        var stream = try SectionStream<UInt64>(reader, "values", from: 3)
        var got: [UInt64] = [try stream.next()]
        stream.skip(40)
        try stream.append(100, to: &got)
        got.append(try stream.next())
        #expect(got == [values[3]] + Array(values[44..<144]) + [values[144]])
        #expect(stream.remaining == 500 - 145)
        stream.skip(stream.remaining - 1)
        #expect(try stream.next() == values[499])
        #expect(throws: ArtifactError.self) { _ = try stream.next() }
        #expect(throws: ArtifactError.self) { _ = try reader.readValues("values", 0..<1, as: UInt32.self) }
    }
}
