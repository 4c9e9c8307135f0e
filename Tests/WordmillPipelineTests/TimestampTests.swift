import Foundation
import Testing
@testable import WordmillPipeline

/// `Timestamp` must write exactly what Foundation's ISO8601DateFormatter writes by default
/// (run records and logs written before it keep reading the same), and read it back.
@Suite struct TimestampTests {
    @Test func writesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        var seconds: [TimeInterval] = [0, -1, -0.5, 59.999, 951_782_400, 4_107_542_399, 1_795_891_479, -2_208_988_800]
        seconds += (0..<500).map { _ in TimeInterval(Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)) + Double.random(in: 0..<1, using: &generator) }
        for s in seconds {
            let date = Date(timeIntervalSince1970: s)
            #expect(Timestamp.iso8601(date) == formatter.string(from: date), "at \(s) s")
        }
    }

    @Test func readsBackWhatItWrites() {
        for s: TimeInterval in [0, 951_782_400, 1_795_891_479, -2_208_988_800, 4_102_444_799] {
            #expect(Timestamp.parse(Timestamp.iso8601(Date(timeIntervalSince1970: s))) == Date(timeIntervalSince1970: s))
        }
        for bad in ["", "2026-11-29 18:44:39Z", "2026-13-01T00:00:00Z", "2026-11-29T18:44:39", "2026-11-29T18:44:3xZ"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}
