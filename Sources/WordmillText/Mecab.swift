import CMecab
import Foundation
import WordmillArtifacts

/// A MeCab dictionary loaded once (`mecab_model_t`, which MeCab shares safely between
/// threads); each thread analyses with its own `MecabTagger`. Debian's libmecab, loaded on
/// first use (`MecabLibrary`); the Korean dictionary is mecab-ko-dic
/// (`corpora/tools/mecab-ko-dic.sh`).
public final class MecabModel: @unchecked Sendable {
    let model: OpaquePointer
    let library: MecabLibrary
    public let dictionary: String

    /// Loads the dictionary folder (it must hold `sys.dic` and `dicrc`).
    public init(dictionary: String) throws(MecabError) {
        let library = try MecabLibrary.shared.get()
        guard FileSystem.isRegularFile(dictionary + "/sys.dic"), FileSystem.isRegularFile(dictionary + "/dicrc") else {
            throw MecabError(message: "no MeCab dictionary at \(dictionary) (sys.dic and dicrc expected); for Korean run corpora/tools/mecab-ko-dic.sh, which installs mecab-ko-dic and prints its path")
        }
        let words: [String] = ["mecab", "-d", dictionary]
        var arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        defer { arguments.forEach { free($0) } }
        guard let model = library.modelNew(Int32(arguments.count), &arguments) else {
            throw MecabError(message: "MeCab could not load the dictionary at \(dictionary): \(library.strerror(nil).map { String(cString: $0) } ?? "no reason given")")
        }
        self.model = model
        self.library = library
        self.dictionary = dictionary
    }

    deinit { library.modelDestroy(model) }
}

/// What the `mecab` tokenizer emits per morpheme.
public struct MecabOptions: Sendable, Equatable {
    /// Append the part-of-speech tag: `음식/NNG`.
    public var attachTag: Bool
    /// Drop morphemes whose tag starts with one of these (e.g. `J`: particles; `E`: endings; `S`: symbols).
    public var dropTags: [String]

    public init(attachTag: Bool = false, dropTags: [String] = []) {
        self.attachTag = attachTag
        self.dropTags = dropTags
    }
}

/// One thread's MeCab tagger and lattice over a shared `MecabModel`.
public final class MecabTagger {
    let owner: MecabModel
    let tagger: OpaquePointer
    let lattice: OpaquePointer
    public let options: MecabOptions
    private let dropTags: [[UInt8]]
    private var token: [UInt8] = []

    public init(model: MecabModel, options: MecabOptions) throws(MecabError) {
        owner = model
        guard let tagger = model.library.modelNewTagger(model.model), let lattice = model.library.modelNewLattice(model.model) else {
            throw MecabError(message: "MeCab could not make a tagger for \(model.dictionary)")
        }
        self.tagger = tagger
        self.lattice = lattice
        self.options = options
        dropTags = options.dropTags.map { Array($0.utf8) }
    }

    deinit {
        owner.library.latticeDestroy(lattice)
        owner.library.destroy(tagger)
    }

    /// Analyses one line of UTF-8 text and calls `emit` with each morpheme's surface form
    /// (with `/TAG` when asked), in order — MeCab's `-Owakati` tokens. The buffer is valid
    /// only during the call.
    public func tokenize(utf8 text: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) throws(MecabError) {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        let library = owner.library
        base.withMemoryRebound(to: CChar.self, capacity: text.count) { library.latticeSetSentence(lattice, $0, text.count) }
        guard library.parseLattice(tagger, lattice) != 0 else {
            throw MecabError(message: "MeCab failed: \(library.latticeStrerror(lattice).map { String(cString: $0) } ?? "no reason given")")
        }
        var node = library.latticeBosNode(lattice)
        while let n = node {
            defer { node = n.pointee.next }
            let stat = Int32(n.pointee.stat)
            guard stat != Int32(MECAB_BOS_NODE), stat != Int32(MECAB_EOS_NODE), n.pointee.length > 0,
                  let surface = n.pointee.surface else { continue }
            let form = UnsafeBufferPointer(start: UnsafeRawPointer(surface).assumingMemoryBound(to: UInt8.self), count: Int(n.pointee.length))
            let tag = Self.tag(n.pointee.feature)
            if !dropTags.isEmpty, dropTags.contains(where: { tag.starts(with: $0) }) { continue }
            if options.attachTag {
                token.removeAll(keepingCapacity: true)
                token.append(contentsOf: form)
                token.append(0x2F)  // "/"
                token.append(contentsOf: tag)
                token.withUnsafeBufferPointer(emit)
            } else {
                emit(form)
            }
        }
    }

    /// The part of speech: the feature string up to its first comma.
    private static func tag(_ feature: UnsafePointer<CChar>?) -> UnsafeBufferPointer<UInt8> {
        guard let feature else { return UnsafeBufferPointer(start: nil, count: 0) }
        let bytes = UnsafeRawPointer(feature).assumingMemoryBound(to: UInt8.self)
        var n = 0
        while bytes[n] != 0 && bytes[n] != 0x2C { n += 1 }
        return UnsafeBufferPointer(start: bytes, count: n)
    }
}

/// MeCab is missing, its dictionary is, or it failed on a text.
public struct MecabError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// What identifies a MeCab dictionary for fingerprints: its `dicrc`'s hash and its
/// `sys.dic`'s size (hashing the 80 MB `sys.dic` on every plan would cost more than it tells).
public enum MecabDictionaryIdentity {
    public static func describe(_ folder: String) -> String {
        let dicrc = (try? FileSystem.hashFile(folder + "/dicrc").hex16) ?? "missing"
        let size = FileSystem.fileSize(folder + "/sys.dic").map(String.init) ?? "missing"
        return "dicrc \(dicrc), sys.dic \(size) bytes"
    }
}
