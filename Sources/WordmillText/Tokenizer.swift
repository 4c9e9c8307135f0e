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
public struct Tokenizer: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case whitespace, words, chars }

    public var kind: Kind
    public var lowercase: Bool
    public var normalization: Normalization
    public var keepWhitespace: Bool

    /// The token that stands for white space under `chars` with `keepWhitespace`.
    public static let whitespaceToken = "\u{2581}"

    public init(kind: Kind, lowercase: Bool = false, normalization: Normalization = .none, keepWhitespace: Bool = false) {
        self.kind = kind
        self.lowercase = lowercase
        self.normalization = normalization
        self.keepWhitespace = keepWhitespace
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
        case .whitespace, .words:
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

    private func tokenizeScalars(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
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
