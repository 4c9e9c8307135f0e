import Foundation
import Testing
import WordmillTestSupport
@testable import WordmillArtifacts

/// Reads everything an artifact holds; throws on any damage.
func readEverything(_ path: String) throws {
    let reader = try ArtifactReader(path: path)
    try reader.verifyChecksums()
    for s in reader.header.sections { _ = try reader.readBytes(s.name) }
}

@Suite struct ArtifactDamageTests {
    /// Every single-byte flip of a whole artifact is caught, with an error naming the file.
    @Test func everyByteFlipIsDetected() throws {
        let dir = TemporaryDirectory()
        let original = dir.file("orig.wma")
        _ = try writeSample(original)
        let bytes = try FileSystem.readFile(original)
        let damaged = dir.file("damaged.wma")
        var caught = 0
        for offset in 0..<bytes.count {
            for mask: UInt8 in [0x01, 0x80] {
                var copy = bytes
                copy[offset] ^= mask
                try AtomicFile.write(copy, to: damaged)
                do {
                    try readEverything(damaged)
                    Issue.record("flip of bit \(mask) at byte \(offset) went unnoticed")
                } catch let error as ArtifactError {
                    #expect(error.path == damaged)
                    #expect(error.description.hasPrefix(damaged))
                    caught += 1
                }
            }
        }
        #expect(caught == bytes.count * 2)
    }

    @Test func truncationAndTrailingGarbageAreDetected() throws {
        let dir = TemporaryDirectory()
        let original = dir.file("orig.wma")
        _ = try writeSample(original)
        let bytes = try FileSystem.readFile(original)
        let damaged = dir.file("damaged.wma")
        for length in 0..<bytes.count {
            try AtomicFile.write(Array(bytes[0..<length]), to: damaged)
            #expect(throws: ArtifactError.self, "truncated to \(length)") { try readEverything(damaged) }
        }
        try AtomicFile.write(bytes + [0], to: damaged)
        #expect(throws: ArtifactError.self) { try readEverything(damaged) }
        try AtomicFile.write(Array("not an artifact at all, just some text that is long enough".utf8), to: damaged)
        do { try readEverything(damaged); Issue.record("text accepted") } catch let e as ArtifactError {
            #expect(e.description.contains("not a wordmill artifact"))
        }
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: ArtifactError.self) { try ArtifactReader(path: "/nonexistent/x.wma") }
    }
}
