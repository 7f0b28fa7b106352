package dev.logmerge.core.job;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from this package's resources, with the key prefixes of {@link RedisKeys} and the
 * shared preamble prepended. Runs by EVALSHA and falls back to EVAL when the server does not know
 * the script (first use, or after a Redis restart).
 */
final class LuaScript {
  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  static LuaScript load(String name) {
    return new LuaScript(
        name,
        RedisKeys.luaDeclarations() + resource("preamble.lua") + "\n" + resource(name + ".lua"));
  }

  Future<Response> run(RedisAPI redis, List<String> keys, List<String> args) {
    return redis
        .evalsha(command(sha1, keys, args))
        .recover(
            error -> {
              if (error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT")) {
                return redis.eval(command(source, keys, args));
              }
              return Future.failedFuture(error);
            });
  }

  private static List<String> command(String script, List<String> keys, List<String> args) {
    List<String> command = new ArrayList<>(2 + keys.size() + args.size());
    command.add(script);
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    return command;
  }

  private static String resource(String file) {
    try (InputStream in = LuaScript.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script resource " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JVM", e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
