/// Symbol strings and their ids during training.
struct SymbolTable {
    private(set) var strings: [[UInt8]] = []
    private var ids: [[UInt8]: Int32] = [:]

    mutating func id(for symbol: [UInt8]) -> Int32 {
        if let id = ids[symbol] { return id }
        let id = Int32(strings.count)
        strings.append(symbol)
        ids[symbol] = id
        return id
    }

    /// "ab" + "##cd" -> "abcd"; "##ab" + "##cd" -> "##abcd".
    func merged(_ left: Int32, _ right: Int32) -> [UInt8] {
        strings[Int(left)] + strings[Int(right)].dropFirst(2)
    }
}
