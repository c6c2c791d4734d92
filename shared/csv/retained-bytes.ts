/**
 * The bytes handed to csv-parse that the current record may still need to be looked at: the reader
 * re-reads a record's raw bytes in the rare cases csv-parse does not say enough (a quote in a field,
 * a line break inside quotes, UTF-16 offsets). Chunks are kept by reference, never copied, and
 * dropped once every record they hold has been read.
 */
export class RetainedBytes {
  private chunks: Buffer[] = [];
  private starts: number[] = [];
  /** Offset (in parser bytes) just past the last byte appended. */
  private total = 0;

  /** Offset just past the last byte appended. */
  get end(): number {
    return this.total;
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.starts.push(this.total);
    this.total += chunk.length;
  }

  /**
   * Bytes `[from, to)`: a view when they lie in one chunk, a copy otherwise.
   * @throws RangeError when part of the range was released or never appended
   */
  slice(from: number, to: number): Buffer {
    if (to <= from) return Buffer.alloc(0);
    const first = this.chunkIndex(from);
    const start = this.starts[first] as number;
    const chunk = this.chunks[first] as Buffer;
    if (to <= start + chunk.length) return chunk.subarray(from - start, to - start);
    if (to > this.total) throw new RangeError(`bytes up to ${to} requested, only ${this.total} appended`);
    const out = Buffer.allocUnsafe(to - from);
    let written = 0;
    for (let i = first; written < out.length; i++) {
      const c = this.chunks[i] as Buffer;
      const s = this.starts[i] as number;
      const a = Math.max(from, s) - s;
      const b = Math.min(to, s + c.length) - s;
      written += c.copy(out, written, a, b);
    }
    return out;
  }

  /** Forgets chunks that end at or before `offset`. */
  release(offset: number): void {
    let n = 0;
    while (n < this.chunks.length && (this.starts[n] as number) + (this.chunks[n] as Buffer).length <= offset) n++;
    if (n > 0) {
      this.chunks.splice(0, n);
      this.starts.splice(0, n);
    }
  }

  private chunkIndex(offset: number): number {
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      if ((this.starts[i] as number) <= offset) {
        if (offset >= (this.starts[i] as number) + (this.chunks[i] as Buffer).length && i === this.chunks.length - 1) break;
        return i;
      }
    }
    throw new RangeError(`byte ${offset} is not retained`);
  }
}
