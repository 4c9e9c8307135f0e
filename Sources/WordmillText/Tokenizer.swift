import Foundation

/// Unicode normalisation applied before tokenizing.
public enum Normalization: String, Sendable, CaseIterable {
    case none, NFC, NFKC
}

/// Splits one document (a line) into tokens, handing each token's UTF-8 bytes to a callback
/// without making a `String` per token.
///
/// - `whitespace`: the text is already tokenized (e.g. a morphological analyser's output);
///   tokens are the runs between Unicode white space.
/// - `words`: runs of letters, marks and digits (any script: Hangul, Latin, CJK, …) are
///   tokens; every other non-space character (punctuation, symbols, emoji) is a token of
///   its own.
/// - `chars`: every grapheme cluster is a token; white space is dropped, or kept as `▁`
///   (U+2581) with `keepWhitespace`.
/// - `sklearn`: scikit-learn's default analyser, `(?u)\b\w\w+\b` after lowercasing: maximal
///   runs of Python's `\w` characters (letters, numbers, `_`; not marks) of at least
///   `minLength` code points; everything else is dropped.
public struct Tokenizer: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case whitespace, words, chars, sklearn }

    public var kind: Kind
    public var lowercase: Bool
    public var normalization: Normalization
    public var keepWhitespace: Bool
    /// Shortest token kept, in code points (`sklearn`: 2, scikit-learn's pattern; `words`: 1).
    public var minLength: Int
    /// Longest token kept, in code points (`words`); nil keeps all.
    public var maxLength: Int?

    /// What `words` does with numbers.
    public enum Numbers: String, Sendable, CaseIterable {
        /// Digit runs are words; separators are tokens of their own ("3", ".", "14").
        case split
        /// Digit runs joined by single `.` or `,` are one token ("3.14", "1,000").
        case keep
        /// Such numbers become `numberToken`.
        case replace
    }
    public var numbers: Numbers
    public var numberToken: String
    /// `words`: URLs (`http://`, `https://`, `ftp://`, `www.`) and e-mail addresses are one
    /// token each, trailing punctuation excepted.
    public var urls: Bool

    /// The token that stands for white space under `chars` with `keepWhitespace`.
    public static let whitespaceToken = "\u{2581}"

    public init(kind: Kind, lowercase: Bool = false, normalization: Normalization = .none, keepWhitespace: Bool = false, minLength: Int? = nil,
                maxLength: Int? = nil, numbers: Numbers = .split, numberToken: String = "<num>", urls: Bool = false) {
        self.kind = kind
        self.lowercase = lowercase
        self.normalization = normalization
        self.keepWhitespace = keepWhitespace
        self.minLength = minLength ?? (kind == .sklearn ? 2 : 1)
        self.maxLength = maxLength
        self.numbers = numbers
        self.numberToken = numberToken
        self.urls = urls
    }

    /// Whether `words` needs its option-aware loop.
    var wordOptions: Bool { minLength > 1 || maxLength != nil || numbers != .split || urls }

    /// Tokenizes a line of valid UTF-8 without making a `String` when it can: lines that need
    /// no normalisation and are ASCII (or need no lowercasing) are split in place, ASCII
    /// lowercasing going through `scratch`, and ASCII lines under `whitespace` and plain
    /// `words` are split from bit masks (`tokenizeASCII`). Gives exactly the tokens of
    /// `tokenize(_:_:)`.
    public func tokenize(utf8 line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard kind != .chars, normalization == .none else {
            return try tokenize(String(decoding: line, as: UTF8.self), emit)
        }
        let ascii = hasASCIIPath
        guard lowercase || ascii else { return try tokenizeScalars(line, emit) }
        let n = line.count
        let raw = UnsafeRawBufferPointer(line)
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= n {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            high |= UInt64(line[i])
            i += 1
        }
        guard high & 0x8080_8080_8080_8080 == 0 else {
            return lowercase ? try tokenize(String(decoding: line, as: UTF8.self), emit) : try tokenizeScalars(line, emit)
        }
        guard lowercase else { return try tokenizeASCII(line, emit) }
        if scratch.count < n { scratch = [UInt8](repeating: 0, count: max(n, 2 * scratch.count)) }
        try scratch.withUnsafeMutableBufferPointer { lower in
            for k in 0..<n {
                let b = line[k]
                lower[k] = b | (b &- 0x41 < 26 ? 0x20 : 0)
            }
            let lowered = UnsafeBufferPointer(rebasing: lower[0..<n])
            try ascii ? tokenizeASCII(lowered, emit) : tokenizeScalars(lowered, emit)
        }
    }

    /// Tokenizes `text`, calling `emit` once per token in order.
    public func tokenize(_ text: String, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var s = text
        switch normalization {
        case .none: break
        case .NFC: s = s.precomposedStringWithCanonicalMapping
        case .NFKC: s = s.precomposedStringWithCompatibilityMapping
        }
        if lowercase { s = s.lowercased() }
        switch kind {
        case .chars: try tokenizeCharacters(s, emit)
        case .whitespace, .words, .sklearn:
            var bytes = Array(s.utf8)
            try bytes.withUnsafeMutableBufferPointer { try tokenizeScalars(UnsafeBufferPointer($0), emit) }
        }
    }

    /// Convenience for tests and queries: the tokens as strings.
    public func tokens(_ text: String) -> [String] {
        var out: [String] = []
        tokenize(text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    private enum Class { case space, word, single }

    @inline(__always)
    private static func classify(_ scalar: Unicode.Scalar) -> Class {
        if scalar.value < 0x80 {
            let v = scalar.value
            if v == 0x20 || (0x09...0x0D).contains(v) { return .space }
            if (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) { return .word }
            return .single
        }
        if isCommonLetter(scalar.value) { return .word }
        let p = scalar.properties
        if p.isWhitespace { return .space }
        if p.isAlphabetic { return .word }
        switch p.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return .word
        default: return .single
        }
    }

    /// Whether a non-ASCII scalar lies in a block made of letters only (Hangul syllables and
    /// jamo, CJK ideographs, Latin-1 letters and Latin Extended-A/B): checked by range before
    /// the Unicode property lookups, which cost far more per character.
    @inline(__always)
    static func isCommonLetter(_ v: UInt32) -> Bool {
        (0xAC00...0xD7A3).contains(v) || (0x4E00...0x9FFF).contains(v) || (0x1100...0x11FF).contains(v) || (0x3131...0x318E).contains(v)
            || ((0xC0...0x24F).contains(v) && v != 0xD7 && v != 0xF7)
    }

    /// Python's `\w` for `str` patterns: `str.isalnum()` (letters Lu Ll Lt Lm Lo, and any
    /// character with a numeric type) or `_`.
    @inline(__always)
    static func isPythonWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
        }
        if isCommonLetter(v) { return true }
        let p = scalar.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return p.numericType != nil
        }
    }

    /// `sklearn`: maximal runs of `\w` characters at least `minLength` code points long.
    private func tokenizeWordRuns(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var i = 0
        var tokenStart = -1
        var scalars = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let isWord: Bool
            let length: Int
            if b < 0x80 {
                isWord = (b &- 0x30 < 10) || ((b | 0x20) &- 0x61 < 26) || b == 0x5F
                length = 1
            } else {
                let (scalar, l) = Tokenizer.decode(bytes, at: i)
                isWord = Tokenizer.isPythonWordCharacter(scalar)
                length = l
            }
            if isWord {
                if tokenStart < 0 { tokenStart = i; scalars = 0 }
                scalars += 1
            } else if tokenStart >= 0 {
                if scalars >= minLength { try emit(UnsafeBufferPointer(rebasing: bytes[tokenStart..<i])) }
                tokenStart = -1
            }
            i += length
        }
        if tokenStart >= 0, scalars >= minLength { try emit(UnsafeBufferPointer(rebasing: bytes[tokenStart..<n])) }
    }

    private func tokenizeScalars(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        if kind == .sklearn { return try tokenizeWordRuns(bytes, emit) }
        if kind == .words && wordOptions { return try tokenizeWordsWithOptions(bytes, emit) }
        let whitespace = kind == .whitespace
        var i = 0
        let n = bytes.count
        while i < n {
            // ASCII bytes are classified by arithmetic; other scalars are decoded.
            let b = bytes[i]
            var c: Class
            var length = 1
            if b < 0x80 {
                c = Tokenizer.isASCIISpace(b) ? .space : whitespace || Tokenizer.isASCIIWord(b) ? .word : .single
            } else {
                let (scalar, l) = Tokenizer.decode(bytes, at: i)
                c = Tokenizer.classify(scalar)
                if whitespace && c == .single { c = .word }
                length = l
            }
            if c == .space {
                i += length
            } else if c == .single {
                try emit(UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
                i += length
            } else {
                // A run of joining characters: scan ASCII ones tight, decode the others.
                let start = i
                i += length
                while i < n {
                    let b = bytes[i]
                    if b < 0x80 {
                        if whitespace ? Tokenizer.isASCIISpace(b) : !Tokenizer.isASCIIWord(b) { break }
                        i += 1
                    } else {
                        let (scalar, l) = Tokenizer.decode(bytes, at: i)
                        let c = Tokenizer.classify(scalar)
                        if c == .space || (c == .single && !whitespace) { break }
                        i += l
                    }
                }
                try emit(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            }
        }
    }

    /// ASCII white space: space, tab, line feed, vertical tab, form feed, carriage return.
    @inline(__always)
    private static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || b &- 0x09 < 5 }

    /// ASCII letters and digits.
    @inline(__always)
    private static func isASCIIWord(_ b: UInt8) -> Bool { b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 26 }

    /// `words` with number handling, URLs and e-mail addresses, and length limits.
    private func tokenizeWordsWithOptions(_ b: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let n = b.count
        func emitLimited(_ start: Int, _ end: Int) throws {
            var scalars = 0
            for k in start..<end where b[k] & 0xC0 != 0x80 { scalars += 1 }
            if scalars < minLength { return }
            if let maxLength, scalars > maxLength { return }
            try emit(UnsafeBufferPointer(rebasing: b[start..<end]))
        }
        /// The end of the word run starting at `start`, and whether it is all digits.
        func wordRun(from start: Int) -> (end: Int, digits: Bool) {
            var end = start
            var digits = true
            while end < n {
                let (scalar, length) = Tokenizer.decode(b, at: end)
                if Tokenizer.classify(scalar) != .word { break }
                if scalar.properties.numericType == nil { digits = false }
                end += length
            }
            return (end, digits && end > start)
        }
        var i = 0
        while i < n {
            let (scalar, length) = Tokenizer.decode(b, at: i)
            let c = Tokenizer.classify(scalar)
            if c == .space { i += length; continue }
            if urls, let end = Tokenizer.urlOrEmailEnd(b, from: i) {
                try emitLimited(i, end)
                i = end
                continue
            }
            if c == .single {
                try emitLimited(i, i + length)
                i += length
                continue
            }
            // A word run; all digits makes it a number.
            var (end, digits) = wordRun(from: i)
            if digits && numbers != .split {
                // Join ".5" / ",000" groups that are digits through and through.
                while end + 1 < n, b[end] == 0x2E || b[end] == 0x2C {
                    let next = wordRun(from: end + 1)
                    if !next.digits { break }
                    end = next.end
                }
                if numbers == .replace {
                    var placeholder = numberToken
                    try placeholder.withUTF8 { try emit($0) }
                } else {
                    try emitLimited(i, end)
                }
            } else {
                try emitLimited(i, end)
            }
            i = end
        }
    }

    /// Where a URL or e-mail address starting at `i` ends (trailing punctuation left out),
    /// or nil when the white-space-delimited run at `i` is neither.
    static func urlOrEmailEnd(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        var end = i
        while end < b.count, !(b[end] == 0x20 || (0x09...0x0D).contains(b[end])) { end += 1 }
        while end > i, ".,;:!?)]}\"'>".utf8.contains(b[end - 1]) { end -= 1 }
        guard end > i else { return nil }
        let run = Array(b[i..<end]).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        func starts(_ prefix: String) -> Bool { run.starts(with: Array(prefix.utf8)) }
        if starts("http://") || starts("https://") || starts("ftp://") || starts("www.") { return end }
        guard let at = run.firstIndex(of: 0x40), at > 0, at + 1 < run.count else { return nil }
        let local = run[..<at], domain = run[(at + 1)...]
        let allowed: (UInt8) -> Bool = { c in c >= 0x80 || (0x30...0x39).contains(c) || (0x61...0x7A).contains(c) || "._%+-".utf8.contains(c) }
        let isEmail = local.allSatisfy(allowed) && domain.allSatisfy(allowed) && domain.dropLast().contains(0x2E) && domain.first != 0x2E
        return isEmail ? end : nil
    }

    private func tokenizeCharacters(_ s: String, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        for character in s {
            buffer.removeAll(keepingCapacity: true)
            if character.isWhitespace {
                guard keepWhitespace else { continue }
                buffer.append(contentsOf: Tokenizer.whitespaceToken.utf8)
            } else {
                buffer.append(contentsOf: character.utf8)
            }
            try buffer.withUnsafeBufferPointer { try emit($0) }
        }
    }

    /// Decodes the scalar at `i` of valid UTF-8.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (Unicode.Scalar(b0)!, 1) }
        if b0 < 0xE0 { return (Unicode.Scalar((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)) ?? "\u{FFFD}", 2) }
        if b0 < 0xF0 {
            let v = (b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        let v = (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
        return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
    }
}
