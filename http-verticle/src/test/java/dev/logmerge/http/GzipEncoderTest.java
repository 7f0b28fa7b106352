package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GzipEncoderTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 100, 8192, 65536, 200_000})
  void encodesABodyGivenInChunksAsOneGzipMemberOfTheSameBytes(int chunkSize) throws IOException {
    byte[] body = LogContent.bytes(1024 * 1024 + 3);
    GzipEncoder encoder = new GzipEncoder();
    Buffer encoded = Buffer.buffer();

    for (int off = 0; off < body.length; off += chunkSize) {
      int end = Math.min(body.length, off + chunkSize);
      encoded.appendBuffer(encoder.encode(Buffer.buffer().appendBytes(body, off, end - off)));
    }
    encoded.appendBuffer(encoder.finish());

    assertArrayEquals(body, gunzip(encoded.getBytes()));
    assertTrue(encoded.length() < body.length / 3, "compressed to " + encoded.length());
  }

  @Test
  void encodesIncompressibleBytesAndAnEmptyBody() throws IOException {
    byte[] noise = new byte[300_000];
    new Random(7).nextBytes(noise);
    GzipEncoder encoder = new GzipEncoder();
    Buffer encoded = encoder.encode(Buffer.buffer(noise)).appendBuffer(encoder.finish());
    assertArrayEquals(noise, gunzip(encoded.getBytes()));

    GzipEncoder empty = new GzipEncoder();
    assertArrayEquals(new byte[0], gunzip(empty.finish().getBytes()));
  }

  @Test
  void sendsNothingOnceReleasedAndMayBeReleasedTwice() {
    GzipEncoder encoder = new GzipEncoder();
    encoder.encode(Buffer.buffer("a line\n"));
    encoder.release();
    encoder.release();

    assertEquals(0, encoder.encode(Buffer.buffer("a late chunk\n")).length());
    assertEquals(0, encoder.finish().length());
  }

  private static byte[] gunzip(byte[] compressed) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }
}
