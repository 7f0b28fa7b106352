package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Asks Redis a command whose answer is one bulk string (INFO, CLIENT LIST) over a plain socket, so
 * that a test looks at the server without a client of the code under test.
 */
final class RedisBulkReply {
  private RedisBulkReply() {}

  static String of(String redisUrl, String command) throws IOException {
    URI redis = URI.create(redisUrl);
    try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
      socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader reply =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String header = reply.readLine();
      assertTrue(header.startsWith("$"), header);
      char[] body = new char[Integer.parseInt(header.substring(1))];
      int read = 0;
      while (read < body.length) {
        read += reply.read(body, read, body.length - read);
      }
      return new String(body);
    }
  }
}
