package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PartBuffersTest {
  @Test
  void aBufferWhosePartIsStoredServesTheNextPartOfItsSize() {
    PartBuffers buffers = new PartBuffers(2);
    byte[] first = buffers.take(16);
    byte[] second = buffers.take(16);
    assertNotSame(first, second);
    assertEquals(16, first.length);

    buffers.recycle(first);

    assertSame(first, buffers.take(16));
  }

  @Test
  void keepsNoMoreThanItsCapacity() {
    PartBuffers buffers = new PartBuffers(1);
    byte[] a = buffers.take(8);
    byte[] b = buffers.take(8);

    buffers.recycle(a);
    buffers.recycle(b);

    assertSame(a, buffers.take(8));
    assertNotSame(b, buffers.take(8), "the second one was not kept");
  }

  @Test
  void dropsBuffersOfASizeThatPartsHaveOutgrown() {
    PartBuffers buffers = new PartBuffers(2);
    byte[] small = buffers.take(8);
    buffers.recycle(small);

    byte[] large = buffers.take(16);

    assertEquals(16, large.length);
    buffers.recycle(large);
    assertSame(large, buffers.take(16));
    assertNotSame(small, buffers.take(8), "the small one was dropped on the way");
  }

  @Test
  void keepsNothingOnceClosed() {
    PartBuffers buffers = new PartBuffers(2);
    byte[] kept = buffers.take(8);
    buffers.recycle(kept);

    buffers.close();
    byte[] late = buffers.take(8);
    buffers.recycle(late);

    assertNotSame(kept, late);
    assertNotSame(late, buffers.take(8));
  }
}
