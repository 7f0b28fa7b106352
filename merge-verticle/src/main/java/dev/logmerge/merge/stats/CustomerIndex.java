package dev.logmerge.merge.stats;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;

/**
 * Numbers a day's customers 0, 1, 2, ... in order of appearance, so that the day's tables key on an
 * int. Names are kept as bytes in one array (no object per customer), found through a
 * linear-probing table of (hash, index) pairs: 15 to 29 bytes per customer plus its name (the
 * arrays double as they fill). With the hash in the table itself, a probe reads a name only when
 * the hashes agree: on a day of many customers, one cache miss fewer per line than a separate array
 * of hashes.
 */
final class CustomerIndex {
  private byte[] names = new byte[1024];
  private int namesLength;
  private int[] nameEnds = new int[OpenAddressing.INITIAL_CAPACITY]; // name i is [end(i-1), end(i))
  // hash << 32 | index + 1; 0 is free
  private long[] table = new long[OpenAddressing.INITIAL_CAPACITY];
  private int size;

  /** The index of the customer {@code bytes[from, to)}, numbering it if it is new. */
  int intern(byte[] bytes, int from, int to) {
    int hash = hash(bytes, from, to);
    int mask = table.length - 1;
    int slot = OpenAddressing.firstSlot(hash, mask);
    for (long entry; (entry = table[slot]) != 0; slot = (slot + 1) & mask) {
      int index = (int) entry - 1;
      if ((int) (entry >>> 32) == hash && nameEquals(index, bytes, from, to)) {
        return index;
      }
    }
    int index = add(bytes, from, to);
    table[slot] = (long) hash << 32 | index + 1;
    if (OpenAddressing.isFull(size, table.length)) {
      rehash(OpenAddressing.doubled(table.length));
    }
    return index;
  }

  /** The index of {@code name} (ASCII), numbering it if it is new. */
  int intern(String name) {
    byte[] bytes = name.getBytes(US_ASCII);
    return intern(bytes, 0, bytes.length);
  }

  String name(int index) {
    int start = start(index);
    return new String(names, start, nameEnds[index] - start, US_ASCII);
  }

  int size() {
    return size;
  }

  long estimatedBytes() {
    return names.length + 4L * nameEnds.length + 8L * table.length;
  }

  private int add(byte[] bytes, int from, int to) {
    int length = to - from;
    if (namesLength + length > names.length) {
      names = Arrays.copyOf(names, Math.max(names.length * 2, namesLength + length));
    }
    System.arraycopy(bytes, from, names, namesLength, length);
    namesLength += length;
    if (size == nameEnds.length) {
      nameEnds = Arrays.copyOf(nameEnds, size * 2);
    }
    nameEnds[size] = namesLength;
    return size++;
  }

  private boolean nameEquals(int index, byte[] bytes, int from, int to) {
    int start = start(index);
    return Arrays.equals(names, start, nameEnds[index], bytes, from, to);
  }

  private int start(int index) {
    return index == 0 ? 0 : nameEnds[index - 1];
  }

  private void rehash(int capacity) {
    long[] old = table;
    table = new long[capacity];
    int mask = capacity - 1;
    for (long entry : old) {
      if (entry != 0) {
        int slot = OpenAddressing.firstSlot((int) (entry >>> 32), mask);
        while (table[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot] = entry;
      }
    }
  }

  private static int hash(byte[] bytes, int from, int to) {
    int hash = 1;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + bytes[i];
    }
    return hash;
  }
}
