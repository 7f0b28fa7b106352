package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {
  @Test
  void theSuffixOfAFileNameSaysItsCompression() {
    assertEquals(Compression.GZIP, Compression.ofFileName("2019-08-17_1.gz"));
    assertEquals(Compression.GZIP, Compression.ofFileName("2019-08-17_1.log.gz"));
    assertEquals(Compression.NONE, Compression.ofFileName("2019-08-17_1.log"));
    assertEquals(Compression.NONE, Compression.ofFileName("2019-08-17_1.gz.log"));
    assertEquals(Compression.NONE, Compression.ofFileName("2019-08-17_1"));
  }

  @Test
  void decodingGzipYieldsTheContentOfEveryMember() throws IOException {
    byte[] content = Bytes.of("a\nb\nc\n".repeat(1000));
    byte[] raw = InMemoryInput.gzip("x.gz", content, 3).raw();

    try (InputStream decoded = Compression.GZIP.decode("x.gz", new ByteArrayInputStream(raw))) {
      assertArrayEquals(content, decoded.readAllBytes());
    }
  }

  @Test
  void plainBytesAreTheirOwnDecoding() throws IOException {
    byte[] content = Bytes.of("a\nb\n");
    try (InputStream decoded = Compression.NONE.decode("x", new ByteArrayInputStream(content))) {
      assertArrayEquals(content, decoded.readAllBytes());
    }
  }
}
