/// Class names numbered as they are first seen while reading, then renumbered in code-point
/// order (scikit-learn's `classes_`) once everything is read: for document labels and for
/// per-token tags alike.
public struct ClassNumbering: Sendable {
    public private(set) var names: [String] = []
    private var ids: [String: UInt32] = [:]
    private var utf8Names: [[UInt8]] = []

    public init() {}

    /// The first-seen id of `name`, adding it when new.
    public mutating func id(of name: String) -> UInt32 {
        if let id = ids[name] { return id }
        let id = UInt32(names.count)
        ids[name] = id
        names.append(name)
        utf8Names.append(Array(name.utf8))
        return id
    }

    /// The same for a name given as UTF-8 bytes; with a few classes (tags) it finds them
    /// without making a String.
    public mutating func id(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        if names.count <= 32, let k = utf8Names.firstIndex(where: { $0.elementsEqual(bytes) }) { return UInt32(k) }
        return id(of: String(decoding: bytes, as: UTF8.self))
    }

    /// The names sorted by code point, and for each first-seen id its id in that order.
    public func sorted() -> (classes: [String], remap: [UInt32]) {
        let sorted = names.sorted(by: DocumentLabels.codePointOrder)
        let newId = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($0.element, UInt32($0.offset)) })
        return (sorted, names.map { newId[$0]! })
    }
}
