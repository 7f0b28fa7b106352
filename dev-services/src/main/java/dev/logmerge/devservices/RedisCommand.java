package dev.logmerge.devservices;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command over a plain socket, its reply decoded as Java values: a String for simple and
 * bulk strings, a Long for integers, a List for arrays, null for nil, and an {@link Error} value
 * for error replies. For setting up and watching servers in tests without the client under test.
 */
public final class RedisCommand {
  /** An error reply, such as {@code NOGOODSLAVE No suitable replica to promote}. */
  public record Error(String message) {}

  private RedisCommand() {}

  /** Sends {@code words} as one command to the server on loopback at {@code port}. */
  public static Object send(int port, String... words) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      StringBuilder command = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        command.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
      }
      socket.getOutputStream().write(command.toString().getBytes(StandardCharsets.UTF_8));
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("Redis on port " + port + ": " + String.join(" ", words), e);
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> new Error(line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          yield null;
        }
        byte[] body = in.readNBytes(length + 2);
        yield new String(body, 0, length, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        if (count < 0) {
          yield null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        yield items;
      }
      default -> throw new IOException("not a RESP reply: " + (char) type + line);
    };
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\r'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }
}
