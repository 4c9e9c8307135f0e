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
    /// Shortest token kept, in code points (`sklearn` only; scikit-learn's pattern means 2).
    public var minLength: Int

    /// The token that stands for white space under `chars` with `keepWhitespace`.
    public static let whitespaceToken = "\u{2581}"

    public init(kind: Kind, lowercase: Bool = false, normalization: Normalization = .none, keepWhitespace: Bool = false, minLength: Int = 2) {
        self.kind = kind
        self.lowercase = lowercase
        self.normalization = normalization
        self.keepWhitespace = keepWhitespace
        self.minLength = minLength
    }

    /// Tokenizes a line of valid UTF-8 without making a `String` when it can: lines that need
    /// no normalisation and are ASCII (or need no lowercasing) are split in place, ASCII
    /// lowercasing going through `scratch`. Gives exactly the tokens of `tokenize(_:_:)`.
    public func tokenize(utf8 line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard kind != .chars, normalization == .none else {
            return try tokenize(String(decoding: line, as: UTF8.self), emit)
        }
        guard lowercase else { return try tokenizeScalars(line, emit) }
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
        guard high & 0x8080_8080_8080_8080 == 0 else { return try tokenize(String(decoding: line, as: UTF8.self), emit) }
        if scratch.count < n { scratch = [UInt8](repeating: 0, count: max(n, 2 * scratch.count)) }
        try scratch.withUnsafeMutableBufferPointer { lower in
            for k in 0..<n {
                let b = line[k]
                lower[k] = b | (b &- 0x41 < 26 ? 0x20 : 0)
            }
            try tokenizeScalars(UnsafeBufferPointer(rebasing: lower[0..<n]), emit)
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
        let p = scalar.properties
        if p.isWhitespace { return .space }
        if p.isAlphabetic { return .word }
        switch p.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return .word
        default: return .single
        }
    }

    /// Python's `\w` for `str` patterns: `str.isalnum()` (letters Lu Ll Lt Lm Lo, and any
    /// character with a numeric type) or `_`.
    @inline(__always)
    static func isPythonWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
        }
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
        var i = 0
        var tokenStart = -1
        let n = bytes.count
        while i < n {
            let (scalar, length) = Tokenizer.decode(bytes, at: i)
            let c = Tokenizer.classify(scalar)
            let isToken = kind == .whitespace ? c != .space : c == .word
            if isToken {
                if tokenStart < 0 { tokenStart = i }
            } else {
                if tokenStart >= 0 {
                    try emit(UnsafeBufferPointer(rebasing: bytes[tokenStart..<i]))
                    tokenStart = -1
                }
                if c == .single { try emit(UnsafeBufferPointer(rebasing: bytes[i..<(i + length)])) }
            }
            i += length
        }
        if tokenStart >= 0 { try emit(UnsafeBufferPointer(rebasing: bytes[tokenStart..<n])) }
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
