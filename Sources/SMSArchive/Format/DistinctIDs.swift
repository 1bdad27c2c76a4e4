/// A column's values as dense ids in order of first occurrence (0, 1, 2, …), with the
/// distinct values by id.
///
/// Computed once per column of a block and shared by every encoder that needs the
/// distinct values (dictionaries, links, the combined chunk, the Bloom filter): the
/// strings of a block are then hashed once, or not at all when the segment already
/// interned them.
struct DistinctIDs<Value> {
    /// Per value, its id.
    let ids: [Int32]
    /// The distinct values, by id.
    let values: [Value]

    /// The number of distinct values.
    var count: Int { values.count }

    init(ids: [Int32], values: [Value]) {
        self.ids = ids
        self.values = values
    }
}

extension DistinctIDs where Value == String {
    /// By hashing the strings (compared byte for byte, see `ExactString`).
    init(_ strings: [String]) {
        var table = DenseIDTable<ExactString>()
        self.init(ids: strings.map { Int32(table.id(ExactString($0))) }, values: table.keys.map(\.value))
    }

    /// From ids that already tell the strings apart (`keys[i]` is equal for equal strings,
    /// below `scratch.count`): an array lookup a value, no hashing. `scratch` is all -1, and
    /// is left so.
    init(_ strings: [String], keys: [UInt32], scratch: inout [Int32]) {
        precondition(strings.count == keys.count)
        var ids: [Int32] = []
        ids.reserveCapacity(keys.count)
        var firsts: [UInt32] = []
        var values: [String] = []
        for (i, key) in keys.enumerated() {
            var id = scratch[Int(key)]
            if id < 0 {
                id = Int32(values.count)
                scratch[Int(key)] = id
                firsts.append(key)
                values.append(strings[i])
            }
            ids.append(id)
        }
        for key in firsts { scratch[Int(key)] = -1 }
        self.init(ids: ids, values: values)
    }
}

extension DistinctIDs where Value == Int64 {
    /// By hashing the integers.
    init(_ integers: [Int64]) {
        var table = DenseIDTable<Int64>()
        self.init(ids: integers.map { Int32(table.id($0)) }, values: table.keys)
    }
}
