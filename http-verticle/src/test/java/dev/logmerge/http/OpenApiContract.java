package dev.logmerge.http;

import static dev.logmerge.http.TestServices.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The API's OpenAPI document, checked against the OpenAPI 3.1 schema and with its {@code $ref}s
 * resolved, and the check of one real exchange against it: the status is listed for the operation,
 * the documented headers are there and match their schemas, no header the document describes
 * elsewhere is sent undocumented, and the body has the documented media type and matches its
 * schema. Every finding names the operation, the status and the header or body location at fault.
 */
final class OpenApiContract {
  /** The methods an OpenAPI path item may list. */
  static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** Framing, on every answer: not the document's business. */
  private static final Set<String> TRANSPORT_HEADERS = Set.of("content-length");

  /** Sent with requests by the client itself, or described by the request body. */
  private static final Set<String> CLIENT_HEADERS =
      Set.of("content-type", "content-length", "host", "user-agent", "accept-encoding");

  private static final JsonSchemaOptions SCHEMA_OPTIONS =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("app://")
          .setOutputFormat(OutputFormat.Basic);

  private final JsonObject resolved;
  private final List<Operation> operations;
  private final Set<String> describedHeaders;

  /** One operation of the document: a method on a path template. */
  record Operation(String method, String template, JsonObject model) {
    /** As messages name it, e.g. {@code GET /download/{id}}. */
    String key() {
      return method.toUpperCase(Locale.ROOT) + " " + template;
    }

    JsonObject responses() {
      return model.getJsonObject("responses", new JsonObject());
    }

    /**
     * The parameters of the operation, as {@code in:name} with the name in lower case (path items
     * declare none: see OpenApiContractTest).
     */
    Set<String> parameters() {
      Set<String> names = new TreeSet<>();
      model
          .getJsonArray("parameters", new JsonArray())
          .forEach(
              p -> {
                JsonObject parameter = (JsonObject) p;
                names.add(
                    parameter.getString("in")
                        + ":"
                        + parameter.getString("name").toLowerCase(Locale.ROOT));
              });
      return names;
    }
  }

  /** A request sent and this server's answer to it (redirects not followed). */
  record Exchange(
      HttpMethod method, String uri, MultiMap requestHeaders, HttpResponse<Buffer> response) {
    String path() {
      int query = uri.indexOf('?');
      return query < 0 ? uri : uri.substring(0, query);
    }

    List<String> queryNames() {
      int query = uri.indexOf('?');
      if (query < 0) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (String pair : uri.substring(query + 1).split("&")) {
        names.add(pair.split("=", 2)[0]);
      }
      return names;
    }
  }

  private OpenApiContract(JsonObject resolved) {
    this.resolved = resolved;
    this.operations = operationsOf(resolved);
    this.describedHeaders = describedHeaders(resolved);
  }

  /**
   * Checks the document against the OpenAPI 3.1 schema and resolves its references.
   *
   * @throws AssertionError naming each place where the document is not valid OpenAPI 3.1
   */
  static OpenApiContract load(Vertx vertx, JsonObject document) {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    if (version != OpenAPIVersion.V3_1) {
      throw new AssertionError("the document is not OpenAPI 3.1: " + document.getString("openapi"));
    }
    SchemaRepository repository = await(version.getRepository(vertx, "app://"));
    OutputUnit outcome = await(version.validateContract(vertx, repository, document));
    if (!Boolean.TRUE.equals(outcome.getValid())) {
      throw new AssertionError(
          "the document is not valid OpenAPI 3.1:\n" + describe(outcome, "the document"));
    }
    return new OpenApiContract(await(version.resolve(vertx, repository, document)));
  }

  List<Operation> operations() {
    return operations;
  }

  JsonObject resolved() {
    return resolved;
  }

  /** A component, such as {@code ("responses", "NotFound")}, references resolved. */
  JsonObject component(String kind, String name) {
    JsonObject component =
        resolved
            .getJsonObject("components")
            .getJsonObject(kind, new JsonObject())
            .getJsonObject(name);
    if (component == null) {
      throw new AssertionError("the document has no components." + kind + "." + name);
    }
    return component;
  }

  /**
   * The operation that answers this method on this request path: the path template whose literal
   * segments equal the path's and whose parameters each stand for one non-empty segment.
   */
  Optional<Operation> operationFor(HttpMethod method, String path) {
    String[] actual = path.split("/", -1);
    return operations.stream()
        .filter(op -> op.method().equalsIgnoreCase(method.name()))
        .filter(op -> matches(op.template().split("/", -1), actual))
        .findFirst();
  }

  /**
   * What is wrong with an exchange of a documented operation: the status, headers and body of the
   * answer, and any request header or query parameter sent that the operation does not list.
   */
  List<String> violations(Operation operation, Exchange exchange) {
    int status = exchange.response().statusCode();
    String where = operation.key() + " → " + status;
    List<String> findings = new ArrayList<>(requestViolations(operation, exchange, where));
    JsonObject responses = operation.responses();
    JsonObject response = responses.getJsonObject(String.valueOf(status));
    if (response == null) {
      findings.add(
          where
              + ": the document does not list status "
              + status
              + " for this operation (it lists "
              + String.join(", ", names(responses))
              + ")");
      return findings;
    }
    findings.addAll(responseViolations(where, response, exchange));
    return findings;
  }

  /** What is wrong with an answer measured against one response object of the document. */
  List<String> responseViolations(String where, JsonObject response, Exchange exchange) {
    List<String> findings = new ArrayList<>();
    HttpResponse<Buffer> answer = exchange.response();
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    Set<String> documented =
        names(headers).stream()
            .map(name -> name.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    for (String name : names(headers)) {
      JsonObject header = headers.getJsonObject(name);
      String value = answer.getHeader(name);
      if (value != null) {
        findings.addAll(headerViolations(where + ": header " + name, header, value));
      } else if (header.getBoolean("required", false)) {
        findings.add(where + ": header " + name + " is documented as required but missing");
      }
    }
    answer
        .headers()
        .names()
        .forEach(
            name -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (describedHeaders.contains(lower) && !documented.contains(lower)) {
                findings.add(
                    where
                        + ": header "
                        + name
                        + " is sent ("
                        + answer.getHeader(name)
                        + ") but not documented for this answer");
              }
            });
    findings.addAll(bodyViolations(where, response, exchange));
    return findings;
  }

  private List<String> bodyViolations(String where, JsonObject response, Exchange exchange) {
    HttpResponse<Buffer> answer = exchange.response();
    Buffer body = answer.body();
    boolean hasBody = body != null && body.length() > 0;
    JsonObject content = response.getJsonObject("content", new JsonObject());
    if (content.isEmpty()) {
      return hasBody
          ? List.of(where + ": sends a body, but the document describes none")
          : List.of();
    }
    String contentType = answer.getHeader("Content-Type");
    if (contentType == null) {
      return List.of(
          where
              + ": sends no Content-Type; the document describes "
              + String.join(", ", names(content)));
    }
    Optional<String> mediaType = mediaTypeFor(content, contentType);
    if (mediaType.isEmpty()) {
      return List.of(
          where
              + ": Content-Type "
              + contentType
              + " is not among the documented "
              + String.join(", ", names(content)));
    }
    if (exchange.method() == HttpMethod.HEAD) {
      return hasBody ? List.of(where + ": a HEAD answer sends a body") : List.of();
    }
    if (!hasBody) {
      return List.of(where + ": sends no body; the document describes " + mediaType.get());
    }
    JsonObject schema = content.getJsonObject(mediaType.get()).getJsonObject("schema");
    if (schema == null || !isJson(contentType)) {
      return List.of();
    }
    Object json;
    try {
      json = Json.decodeValue(body);
    } catch (DecodeException e) {
      return List.of(where + ": the " + contentType + " body is not JSON: " + e.getMessage());
    }
    return schemaViolations(where + ": body", schema, json);
  }

  private List<String> headerViolations(String where, JsonObject header, String value) {
    JsonObject schema = header.getJsonObject("schema", new JsonObject());
    Object typed = value;
    if ("integer".equals(schema.getString("type"))) {
      try {
        typed = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        return List.of(where + ": \"" + value + "\" is not the documented integer");
      }
    }
    return schemaViolations(where + " \"" + value + "\"", schema, typed);
  }

  /** What is wrong with a value measured against a (resolved) schema of the document. */
  static List<String> schemaViolations(String where, JsonObject schema, Object value) {
    OutputUnit outcome = Validator.create(JsonSchema.of(schema), SCHEMA_OPTIONS).validate(value);
    if (Boolean.TRUE.equals(outcome.getValid())) {
      return List.of();
    }
    return List.of(
        where
            + " does not match its schema:\n"
            + describe(outcome, "value")
            + "\n  in "
            + Json.encode(value));
  }

  private List<String> requestViolations(Operation operation, Exchange exchange, String where) {
    Set<String> parameters = operation.parameters();
    List<String> findings = new ArrayList<>();
    exchange
        .requestHeaders()
        .names()
        .forEach(
            name -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!CLIENT_HEADERS.contains(lower) && !parameters.contains("header:" + lower)) {
                findings.add(
                    where
                        + ": the request header "
                        + name
                        + " is not a parameter of the operation");
              }
            });
    for (String name : exchange.queryNames()) {
      if (!parameters.contains("query:" + name.toLowerCase(Locale.ROOT))) {
        findings.add(
            where + ": the query parameter " + name + " is not a parameter of the operation");
      }
    }
    return findings;
  }

  /**
   * The documented media type of a Content-Type: the same one, the same without parameters, its
   * {@code type/*} or {@code *}{@code /*}.
   */
  private static Optional<String> mediaTypeFor(JsonObject content, String contentType) {
    String essence = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    List<String> candidates =
        List.of(
            contentType.toLowerCase(Locale.ROOT).replace(";charset", "; charset"),
            essence,
            essence.split("/", 2)[0] + "/*",
            "*/*");
    for (String candidate : candidates) {
      for (String key : names(content)) {
        if (key.equalsIgnoreCase(candidate)) {
          return Optional.of(key);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isJson(String contentType) {
    String essence = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return essence.equals("application/json") || essence.endsWith("+json");
  }

  /**
   * The members of an object of the resolved document, without the annotations that resolving adds
   * ({@code __absolute_uri__}…), sorted.
   */
  static Set<String> names(JsonObject object) {
    return object.fieldNames().stream()
        .filter(JsonSchema.EXCLUDE_ANNOTATIONS)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * A value of the resolved document without the annotations resolving adds to every object, as it
   * was written: for the examples, which are data.
   */
  static Object withoutAnnotations(Object value) {
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      names(object).forEach(name -> copy.put(name, withoutAnnotations(object.getValue(name))));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(withoutAnnotations(item)));
      return copy;
    }
    return value;
  }

  private static boolean matches(String[] template, String[] actual) {
    if (template.length != actual.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
      if (parameter ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  private static List<Operation> operationsOf(JsonObject document) {
    List<Operation> found = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String template : names(paths)) {
      JsonObject pathItem = paths.getJsonObject(template);
      for (String method : METHODS) {
        if (pathItem.containsKey(method)) {
          found.add(new Operation(method, template, pathItem.getJsonObject(method)));
        }
      }
    }
    return List.copyOf(found);
  }

  /** Every header name some response of the document describes, lower case. */
  private static Set<String> describedHeaders(JsonObject document) {
    Set<String> described = new TreeSet<>();
    for (Operation operation : operationsOf(document)) {
      JsonObject responses = operation.responses();
      names(responses)
          .forEach(status -> described.addAll(headerNames(responses.getJsonObject(status))));
    }
    JsonObject components = document.getJsonObject("components").getJsonObject("responses");
    names(components)
        .forEach(name -> described.addAll(headerNames(components.getJsonObject(name))));
    described.removeAll(TRANSPORT_HEADERS);
    return described;
  }

  private static Set<String> headerNames(JsonObject response) {
    return names(response.getJsonObject("headers", new JsonObject())).stream()
        .map(name -> name.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
  }

  private static String describe(OutputUnit outcome, String subject) {
    List<OutputUnit> errors = outcome.getErrors() == null ? List.of() : outcome.getErrors();
    if (errors.isEmpty()) {
      return "  " + subject + ": " + outcome.getError();
    }
    return errors.stream()
        .map(
            e ->
                "  at "
                    + (e.getInstanceLocation() == null || e.getInstanceLocation().isEmpty()
                        ? "(root)"
                        : e.getInstanceLocation())
                    + ": "
                    + e.getError()
                    + " (schema "
                    + e.getKeywordLocation()
                    + ")")
        .distinct()
        .collect(Collectors.joining("\n"));
  }

  /** The statuses each operation lists, as {@code GET /download/{id} 206}. */
  Set<String> documentedAnswers() {
    Set<String> answers = new TreeSet<>();
    for (Operation operation : operations) {
      names(operation.responses()).forEach(status -> answers.add(operation.key() + " " + status));
    }
    return answers;
  }
}
