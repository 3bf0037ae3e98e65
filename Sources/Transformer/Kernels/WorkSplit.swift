/// How a packed product's workers share C: by rows when each worker gets at least two row
/// units, else by column panels (one short sentence has a single row tile but many panels), or
/// both. The unit is a micro-tile (MR rows) when B is packed beforehand; when the product packs
/// B itself it is a 112-row block, since a row split packs all of B on one thread first while
/// a column split packs each worker's panels in parallel (with 14-row units a 128-row product
/// ran slower on two threads than on one). A row split gives each worker one contiguous range of whole micro-tiles, the ranges
/// differing by at most one tile (handing out 112-row blocks in turn left one worker 288 of 512
/// rows), and packs no row of A twice, as a column split must.
struct WorkSplit {
    let columnSplits: Int
    let rowSplits: Int
    let panels: Int
    let m: Int

    init(m: Int, panels: Int, workers: Int, rowUnit: Int) {
        self.m = m
        self.panels = panels
        let units = (m + rowUnit - 1) / rowUnit
        columnSplits = units >= 2 * workers ? 1 : min(workers, panels)
        rowSplits = max(1, workers / columnSplits)
    }

    var iterations: Int { rowSplits * columnSplits }

    /// The first column and the width of `worker`'s panels within `n` columns, or nil if it has none.
    func columns(of worker: Int, n: Int) -> (start: Int, width: Int)? {
        let part = worker / rowSplits
        let firstPanel = panels * part / columnSplits
        let endPanel = panels * (part + 1) / columnSplits
        guard endPanel > firstPanel else { return nil }
        let start = firstPanel * Gemm.nr
        return (start, min(n, endPanel * Gemm.nr) - start)
    }

    /// Which of the row parts `worker` takes (0 ..< rowSplits).
    func rowPart(of worker: Int) -> Int { worker % rowSplits }

    /// `worker`'s rows: whole micro-tiles, contiguous (possibly empty).
    func rows(of worker: Int) -> Range<Int> {
        let part = rowPart(of: worker)
        let tiles = (m + Gemm.mr - 1) / Gemm.mr
        let first = min(m, tiles * part / rowSplits * Gemm.mr)
        let end = min(m, tiles * (part + 1) / rowSplits * Gemm.mr)
        return first..<max(first, end)
    }
}
