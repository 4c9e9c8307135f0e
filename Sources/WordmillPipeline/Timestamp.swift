import Foundation

/// UTC timestamps as ISO 8601 text (`2026-11-29T18:44:39Z`), what Foundation's
/// `ISO8601DateFormatter` writes by default, without making one: a formatter loads ICU's
/// calendar and time-zone data, about 1.5 ms the first time in a process and a fraction of
/// that each time after, and the run log stamps every line.
public enum Timestamp {
    /// `date` in whole seconds (rounded down), UTC.
    public static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        var text = ""
        text.reserveCapacity(20)
        func append(_ value: Int32, digits: Int) {
            let s = String(value)
            if s.count < digits { text += String(repeating: "0", count: digits - s.count) }
            text += s
        }
        append(t.tm_year + 1900, digits: 4)
        text += "-"
        append(t.tm_mon + 1, digits: 2)
        text += "-"
        append(t.tm_mday, digits: 2)
        text += "T"
        append(t.tm_hour, digits: 2)
        text += ":"
        append(t.tm_min, digits: 2)
        text += ":"
        append(t.tm_sec, digits: 2)
        return text + "Z"
    }

    /// Reads what `iso8601` writes (`yyyy-MM-ddTHH:mm:ssZ`); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var v: Int32 = 0
            for c in b[range] {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int32(c - 0x30)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var t = tm()
        t.tm_year = year - 1900
        t.tm_mon = month - 1
        t.tm_mday = day
        t.tm_hour = hour
        t.tm_min = minute
        t.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&t)))
    }
}
