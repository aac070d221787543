import { describe, expect, test } from "vitest";
import { csvStream, safeCell } from "./csv.server.ts";

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

describe("CSV export", () => {
  test("text that a spreadsheet would run as a formula is escaped; numbers stay numbers", () => {
    expect(safeCell("=HYPERLINK(\"http://evil\")")).toBe("'=HYPERLINK(\"http://evil\")");
    expect(safeCell("+1 555")).toBe("'+1 555");
    expect(safeCell("-2+3")).toBe("'-2+3");
    expect(safeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(safeCell("\tcmd")).toBe("'\tcmd");
    expect(safeCell("export csv")).toBe("export csv");
    expect(safeCell("a=b")).toBe("a=b");
    expect(safeCell(-3)).toBe(-3);
    expect(safeCell(null)).toBe("");
  });

  test("UTF-8 with a byte-order mark, a header row, CRLF rows, quoting of commas, quotes and line breaks", async () => {
    async function* rows() {
      yield ["导出发票", 2];
      yield ["facturi românești, „ghilimele”", 1];
      yield ['say "hi"\nthere', 0];
      yield ["=1+1", -1];
    }
    const bytes = await bytesOf(csvStream(["query", "searches"], rows()));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe(
      'query,searches\r\n导出发票,2\r\n"facturi românești, „ghilimele”",1\r\n"say ""hi""\nthere",0\r\n\'=1+1,-1\r\n',
    );
  });

  test("rows are pulled as the reader reads: a source that never ends still yields its first rows", async () => {
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced++;
        yield [`row ${produced}`, produced];
      }
    }
    const reader = csvStream(["a", "b"], endless()).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    expect(produced).toBeLessThan(10_000);
  });
});
