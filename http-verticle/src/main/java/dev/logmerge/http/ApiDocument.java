package dev.logmerge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The API's OpenAPI document ({@value #RESOURCE}), served as written at {@code GET /openapi.yaml}
 * and as JSON at {@code GET /openapi.json}. Both forms are made once, when the verticle starts.
 */
final class ApiDocument {
  static final String RESOURCE = "dev/logmerge/http/openapi.yaml";

  /** RFC 9512. */
  private static final String YAML_MEDIA_TYPE = "application/yaml";

  private final Buffer yaml;
  private final Buffer json;

  private ApiDocument(Buffer yaml, Buffer json) {
    this.yaml = yaml;
    this.json = json;
  }

  /**
   * Reads the document from the class path; blocks.
   *
   * @throws IllegalStateException when it is missing or not YAML
   */
  static ApiDocument load() {
    String text = new String(ClasspathResource.read(RESOURCE), StandardCharsets.UTF_8);
    JsonObject document;
    try {
      document = parseYaml(text);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          RESOURCE + " is not a valid YAML document: " + e.getMessage(), e);
    }
    return new ApiDocument(Buffer.buffer(text), document.toBuffer());
  }

  /**
   * A YAML document as the JSON it stands for: keys as strings (a response code such as {@code
   * 200:} is an integer in YAML), dates and times as the strings written, a repeated key refused.
   */
  static JsonObject parseYaml(String text) {
    Object parsed = new Yaml(new JsonCompatible()).load(text);
    if (!(parsed instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("the document is not a YAML mapping");
    }
    return (JsonObject) toJson(parsed);
  }

  void sendYaml(RoutingContext ctx) {
    send(ctx, YAML_MEDIA_TYPE, yaml);
  }

  void sendJson(RoutingContext ctx) {
    send(ctx, "application/json", json);
  }

  private static void send(RoutingContext ctx, String mediaType, Buffer body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, mediaType).end(body).onFailure(ctx::fail);
  }

  private static Object toJson(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((key, value) -> object.put(String.valueOf(key), toJson(value)));
      return object;
    }
    if (yaml instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(item -> array.add(toJson(item)));
      return array;
    }
    return yaml;
  }

  /** Plain YAML 1.1 data, except that timestamps stay text (JSON has no date type). */
  private static final class JsonCompatible extends SafeConstructor {
    JsonCompatible() {
      super(options());
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }

    private static LoaderOptions options() {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return options;
    }
  }
}
