package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcceptEncodingTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "gzip",
        "GZip",
        "x-gzip",
        "gzip;q=1",
        "gzip; q=0.5",
        "gzip ;q=0.001",
        "deflate, gzip",
        "br;q=1.0, gzip;q=0.8, *;q=0.1",
        "*",
        "*;q=0.3",
        "identity, *",
        ", gzip,"
      })
  void allowsGzipWhenItOrAWildcardHasAWeightAboveZero(String header) {
    assertTrue(AcceptEncoding.allowsGzip(header), header);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "identity",
        "deflate, br",
        "gzip;q=0",
        "gzip;q=0.",
        "gzip;q=0.000",
        "GZIP; Q=0",
        "gzip;q=0, *",
        "*;q=0",
        "gzip;q=1.5",
        "gzip;q=-1",
        "gzip;q=high",
        "gzip;level=9",
        "gzipped"
      })
  void refusesGzipWhenTheHeaderDoesNotAllowIt(String header) {
    assertFalse(AcceptEncoding.allowsGzip(header), header);
  }

  @Test
  void meansIdentityWhenTheHeaderIsAbsent() {
    assertFalse(AcceptEncoding.allowsGzip(null));
  }
}
