package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.s3.S3ClientFactory;
import dev.logmerge.devservices.FaultInjectingProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A streamed input against a small HTTP server that answers GETs of one object as S3 would, except
 * where a test makes it misbehave in a way S3Proxy never does, behind a {@link FaultInjectingProxy}
 * that cuts the first body midway.
 */
class StreamedGetProtocolTest {
  private static final String KEY = "2019-08-17_1";
  private static final String ETAG = "\"0123456789abcdef\"";
  private static final byte[] CONTENT = S3Fixture.randomBytes(256 * 1024, 31);
  private static final int CUT_AFTER = 100 * 1024;

  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private FaultInjectingProxy proxy;
  private S3AsyncClient client;

  /** How the server answers the GET with the given {@code Range} header. */
  private interface Answer {
    void send(HttpExchange exchange, String range) throws IOException;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
    proxy = FaultInjectingProxy.start(server.getAddress().getPort());
    proxy.cutResponsesAfter(CUT_AFTER, 1);
    client =
        S3ClientFactory.create(
            LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", proxy.uri("http").toString())));
  }

  @AfterEach
  void stop() {
    client.close();
    proxy.close();
    server.stop(0);
  }

  @Test
  void aBodyCutMidwayIsResumedFromTheFirstByteNotReceived() throws IOException {
    serve((exchange, range) -> sendRange(exchange, from(range)));

    try (InputStream in = open()) {
      assertArrayEquals(CONTENT, in.readAllBytes());
    }
    assertEquals(1, proxy.connectionsCut());
    assertEquals(2, ranges.size(), ranges.toString());
    assertEquals("bytes=0-", ranges.get(0));
    // Where the cut lands among the bytes delivered depends on how Netty split the body; the
    // resumed GET starts after some received bytes and within what the proxy let through.
    long resumedAt = from(ranges.get(1));
    assertTrue(resumedAt > 0 && resumedAt < CUT_AFTER, ranges.toString());
  }

  @Test
  void aResumedBodyThatStartsElsewhereThanAskedFailsTheReadInsteadOfRepeatingBytes() {
    serve(
        (exchange, range) -> {
          if (from(range) == 0) {
            sendRange(exchange, 0);
          } else {
            sendWhole(exchange); // a server that ignores Range: the first bytes again, as 200
          }
        });

    S3IoException error;
    try (InputStream in = open()) {
      error = assertThrows(S3IoException.class, in::readAllBytes);
    } catch (IOException e) {
      throw new AssertionError(e);
    }

    assertEquals(FailureCode.INPUT_UNREADABLE, error.code());
    assertEquals(
        "S3 at "
            + proxy.uri("http")
            + " answered a GET of input "
            + KEY
            + " from byte "
            + from(ranges.get(1))
            + " with Content-Range null",
        error.getMessage());
  }

  private InputStream open() {
    LogObject object =
        new LogObject(
            "logs",
            LogFileName.parse(KEY).orElseThrow(),
            CONTENT.length,
            ETAG,
            Instant.parse("2019-08-18T00:00:00Z"));
    return new ChunkInputStream(
        KEY, new StreamedGet(client, object, 64 * 1024, S3Failures.of(client)));
  }

  private void serve(Answer answer) {
    server.createContext(
        "/logs/" + KEY,
        exchange -> {
          String range = exchange.getRequestHeaders().getFirst("Range");
          ranges.add(range);
          try (exchange) {
            answer.send(exchange, range);
          }
        });
  }

  /** The first byte a {@code bytes=a-} range asks for. */
  private static long from(String range) {
    return Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
  }

  private static void sendRange(HttpExchange exchange, long from) throws IOException {
    headers(exchange, from);
    exchange.sendResponseHeaders(206, CONTENT.length - from);
    exchange.getResponseBody().write(CONTENT, (int) from, (int) (CONTENT.length - from));
  }

  private static void sendWhole(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("ETag", ETAG);
    exchange.sendResponseHeaders(200, CONTENT.length);
    exchange.getResponseBody().write(CONTENT);
  }

  private static void headers(HttpExchange exchange, long from) {
    exchange.getResponseHeaders().add("ETag", ETAG);
    exchange
        .getResponseHeaders()
        .add("Content-Range", "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
  }
}
