package dev.logmerge.cluster;

import dev.logmerge.core.job.RedisKeys;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads job state straight from Redis, the source of truth, the way an operator would with
 * redis-cli. A blocking connection per call, speaking just enough RESP for HGETALL and ZCARD: tests
 * need no event loop.
 */
public final class RedisProbe {
  private final String host;
  private final int port;

  RedisProbe(int port) {
    this("127.0.0.1", port);
  }

  RedisProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The job hash {@code job:<id>} (empty when unknown). */
  @SuppressWarnings("unchecked") // HGETALL answers an array of bulk strings
  public Map<String, String> job(String id) {
    List<Object> flat = (List<Object>) command("HGETALL", RedisKeys.job(id));
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return fields;
  }

  public String state(String id) {
    return job(id).get("state");
  }

  /** Size of {@code jobs:queued}. */
  public long queued() {
    return (Long) command("ZCARD", RedisKeys.QUEUED);
  }

  /** Size of {@code jobs:running}. */
  public long running() {
    return (Long) command("ZCARD", RedisKeys.RUNNING);
  }

  private Object command(String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        request
            .append('$')
            .append(word.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(word)
            .append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Redis at " + host + ":" + port + " did not answer " + words[0], e);
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case ':':
        return Long.parseLong(line);
      case '+':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(length + 2);
          return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            items.add(read(in));
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP type " + (char) type);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }
}
