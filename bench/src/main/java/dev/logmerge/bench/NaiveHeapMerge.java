package dev.logmerge.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The baseline the merge core is measured against, in the same run: the textbook k-way merge of
 * in-memory byte arrays. A {@link PriorityQueue} (binary heap) of one cursor per input, lines
 * compared whole with {@link Arrays#compareUnsigned} (ties by input order), line ends found byte by
 * byte, lines copied into a 64 KiB output buffer. No offset-value codes, no loser tree, no streams.
 */
final class NaiveHeapMerge {
  private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

  private NaiveHeapMerge() {}

  /**
   * Writes the inputs' lines to {@code sink}, each with a {@code '\n'}; returns the bytes written.
   */
  static long merge(List<byte[]> inputs, OutputStream sink) throws IOException {
    PriorityQueue<Cursor> heap = new PriorityQueue<>(Math.max(1, inputs.size()));
    for (int i = 0; i < inputs.size(); i++) {
      Cursor cursor = new Cursor(inputs.get(i), i);
      if (cursor.advance()) {
        heap.add(cursor);
      }
    }
    byte[] out = new byte[OUTPUT_BUFFER_BYTES];
    int filled = 0;
    long written = 0;
    while (!heap.isEmpty()) {
      Cursor cursor = heap.poll();
      int length = cursor.end - cursor.start;
      if (filled + length + 1 > out.length) {
        sink.write(out, 0, filled);
        written += filled;
        filled = 0;
      }
      if (length + 1 > out.length) {
        sink.write(cursor.bytes, cursor.start, length);
        sink.write('\n');
        written += length + 1;
      } else {
        System.arraycopy(cursor.bytes, cursor.start, out, filled, length);
        out[filled + length] = '\n';
        filled += length + 1;
      }
      if (cursor.advance()) {
        heap.add(cursor);
      }
    }
    sink.write(out, 0, filled);
    return written + filled;
  }

  private static final class Cursor implements Comparable<Cursor> {
    private final byte[] bytes;
    private final int index;

    /** The current line is {@code bytes[start, end)}; the next one starts after {@code end}. */
    private int start;

    private int end = -1;

    Cursor(byte[] bytes, int index) {
      this.bytes = bytes;
      this.index = index;
    }

    boolean advance() {
      start = end + 1;
      if (start >= bytes.length) {
        return false;
      }
      end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      return true;
    }

    @Override
    public int compareTo(Cursor other) {
      int order = Arrays.compareUnsigned(bytes, start, end, other.bytes, other.start, other.end);
      return order != 0 ? order : Integer.compare(index, other.index);
    }
  }
}
