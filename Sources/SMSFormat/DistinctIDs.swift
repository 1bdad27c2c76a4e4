import SMSRecords

/// A column's values as dense ids in order of first occurrence (0, 1, 2, …), with the
/// distinct values by id.
///
/// Computed once per column of a block and shared by every encoder that needs the
/// distinct values (dictionaries, links, the combined chunk, the Bloom filter): the
/// strings of a block are then hashed once, or not at all when the segment already
/// interned them.
package struct DistinctIDs<Value> {
    /// Per value, its id.
    package let ids: [Int32]
    /// The distinct values, by id.
    package let values: [Value]

    /// The number of distinct values.
    package var count: Int { values.count }

    package init(ids: [Int32], values: [Value]) {
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

    /// From ids into `strings` that tell strings apart (no two ids have equal strings):
    /// an array lookup a value, no hashing. `scratch` has a -1 for each of `strings`, and is left so.
    init(keys: [UInt32], strings: [String], scratch: inout [Int32]) {
        var ids: [Int32] = []
        ids.reserveCapacity(keys.count)
        var firsts: [UInt32] = []
        for key in keys {
            var id = scratch[Int(key)]
            if id < 0 {
                id = Int32(firsts.count)
                scratch[Int(key)] = id
                firsts.append(key)
            }
            ids.append(id)
        }
        for key in firsts { scratch[Int(key)] = -1 }
        self.init(ids: ids, values: firsts.map { strings[Int($0)] })
    }
}

extension DistinctIDs where Value == Int64 {
    /// By hashing the integers.
    init(_ integers: [Int64]) {
        var table = DenseIDTable<Int64>()
        self.init(ids: integers.map { Int32(table.id($0)) }, values: table.keys)
    }
}
