import Foundation

@inline(__always) func _exp(_ x: Float) -> Float { Foundation.exp(x) }
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
