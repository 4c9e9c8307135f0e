import Foundation
import Testing
import WordmillNumerics
@testable import WordmillPipeline

/// `Timestamp` writes what Foundation's ISO8601DateFormatter writes by default for whole
/// seconds (run records and logs written before it keep reading the same), and reads it back.
///
/// The rounding rule: a fractional second is truncated towards the past (floor), so a
/// timestamp never names a second that had not begun. Foundation's formatter rounds to the
/// nearest second instead, which is why the comparison with it uses whole seconds only.
@Suite struct TimestampTests {
    @Test func truncatesFractionalSecondsTowardsThePast() {
        let cases: [(TimeInterval, String)] = [
            (0, "1970-01-01T00:00:00Z"), (59.999, "1970-01-01T00:00:59Z"), (-0.5, "1969-12-31T23:59:59Z"),
            (-1, "1969-12-31T23:59:59Z"), (1_795_891_479.75, "2026-11-28T18:44:39Z"),
            (-2_208_988_800, "1900-01-01T00:00:00Z"), (4_102_444_799.999, "2099-12-31T23:59:59Z"),
        ]
        for (seconds, text) in cases {
            #expect(Timestamp.iso8601(Date(timeIntervalSince1970: seconds)) == text, "at \(seconds) s")
        }
    }

    @Test func writesWhatISO8601DateFormatterWritesForWholeSeconds() {
        let formatter = ISO8601DateFormatter()
        // wordmill's seeded generator: the same 500 dates on every run.
        var generator = RandomGenerator(seed: 0x5EED_1234_ABCD_0001)
        func next() -> UInt64 { generator.next() }
        let low: Int64 = -2_208_988_800, span = UInt64(4_102_444_800 - low + 1)
        var seconds: [Int64] = [0, -1, 951_782_400, 4_102_444_799, 1_795_891_479, -2_208_988_800]
        seconds += (0..<500).map { _ in low + Int64(next() % span) }
        for s in seconds {
            let date = Date(timeIntervalSince1970: TimeInterval(s))
            #expect(Timestamp.iso8601(date) == formatter.string(from: date), "at \(s) s")
            // A fraction of a second later still names the same second.
            let later = Date(timeIntervalSince1970: TimeInterval(s) + Double(next() % 1000) / 1000)
            #expect(Timestamp.iso8601(later) == formatter.string(from: date), "at \(s) s + a fraction")
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
