import Foundation
import Testing
import WordmillTestSupport
@testable import WordmillArtifacts

@Suite struct StreamedFileTests {
    /// Pieces written across several buffer flushes arrive whole and in order, the reported
    /// size and hash are the file's, and nothing is under the final name before `commit`.
    @Test func piecesArriveInOrderWithTheFilesHash() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("out/predictions.csv")
        let file = try StreamedFile(path: path)
        var expected = ""
        for i in 0..<120_000 {
            let line = "\(i),label \(i % 7),predicted,0.\(i)\n"
            try file.write(line)
            expected += line
        }
        #expect(expected.utf8.count > 3 << 20)
        #expect(!FileManager.default.fileExists(atPath: path))
        let (bytes, hash) = try file.commit()
        let written = try FileSystem.readFile(path)
        #expect(written == Array(expected.utf8))
        #expect(bytes == written.count && hash == XXH64.hash(written))
    }
}
