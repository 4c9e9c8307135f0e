import WordmillSupport

/// Typed access to resolved parameters. The validator has already checked types and
/// filled defaults, so a missing value here is a bug in an op's schema.
extension Dictionary where Key == String, Value == JSONValue {
    public func int(_ key: String) -> Int { self[key]!.intValue! }
    public func optionalInt(_ key: String) -> Int? { self[key]?.intValue }
    public func double(_ key: String) -> Double { self[key]!.doubleValue! }
    public func string(_ key: String) -> String { self[key]!.stringValue! }
    public func optionalString(_ key: String) -> String? { self[key]?.stringValue }
    public func bool(_ key: String) -> Bool { self[key]!.boolValue! }
    public func strings(_ key: String) -> [String] { (self[key]?.arrayValue ?? []).compactMap(\.stringValue) }
    public func object(_ key: String) -> [String: JSONValue] { self[key]?.objectValue ?? [:] }
}
