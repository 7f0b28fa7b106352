package dev.logmerge.http;

import static dev.logmerge.http.InitiateRequest.DATE_FORM;
import static dev.logmerge.http.InitiateRequest.END_DATE;
import static dev.logmerge.http.InitiateRequest.START_DATE;
import static io.vertx.json.schema.common.dsl.Schemas.objectSchema;
import static io.vertx.json.schema.common.dsl.Schemas.stringSchema;

import io.vertx.core.Handler;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.validation.BadRequestException;
import io.vertx.ext.web.validation.BodyProcessorException;
import io.vertx.ext.web.validation.RequestParameters;
import io.vertx.ext.web.validation.ValidationHandler;
import io.vertx.ext.web.validation.builder.Bodies;
import io.vertx.ext.web.validation.builder.ValidationHandlerBuilder;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.ObjectSchemaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape of a {@code POST /initiate} body, as a JSON schema enforced by vertx-web-validation: an
 * object with the string members {@code start_date} and {@code end_date} and nothing else. Its
 * failure handler turns a rejection into a 400 problem whose detail names each offending field and
 * the expected form.
 */
final class InitiateValidation {
  /**
   * Far above any valid body (about 50 bytes); keeps a hostile client from making us buffer much.
   */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private static final List<String> FIELDS = List.of(START_DATE, END_DATE);
  private static final String EXPECTED_BODY =
      "a JSON object {\""
          + START_DATE
          + "\": \"YYYY-MM-DD\", \""
          + END_DATE
          + "\": \"YYYY-MM-DD\"}";
  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("https://logmerge.dev/schemas/")
          .setOutputFormat(OutputFormat.Basic);

  private final ValidationHandler validationHandler;

  /**
   * The same schema, asked again on rejection: vertx-web-validation flattens its findings into a
   * string.
   */
  private final Validator explainer;

  InitiateValidation() {
    ObjectSchemaBuilder schema =
        objectSchema()
            .requiredProperty(START_DATE, stringSchema())
            .requiredProperty(END_DATE, stringSchema())
            .allowAdditionalProperties(false);
    this.validationHandler =
        ValidationHandlerBuilder.create(SchemaRepository.create(OPTIONS))
            .body(Bodies.json(schema))
            .build();
    this.explainer = Validator.create(JsonSchema.of(schema.toJson()), OPTIONS);
  }

  /** Reads the body into memory, refusing (413) anything over {@link #MAX_BODY_BYTES}. */
  Handler<RoutingContext> bodyReader() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  /** Checks the body against the schema; passes a valid body on to the next handler. */
  Handler<RoutingContext> schemaCheck() {
    return validationHandler;
  }

  /** The body of a request that passed {@link #schemaCheck()}. */
  static JsonObject validBody(RoutingContext ctx) {
    RequestParameters parameters = ctx.get(ValidationHandler.REQUEST_CONTEXT_KEY);
    return parameters.body().getJsonObject();
  }

  /**
   * Failure handler: answers a body over the limit, a parsing or a schema rejection; leaves every
   * other failure to the next handler.
   */
  void explainRejection(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      ProblemResponder.send(
          ctx,
          Problem.of(
              ProblemType.PAYLOAD_TOO_LARGE,
              "request body: larger than the limit of " + MAX_BODY_BYTES + " bytes"));
    } else if (ctx.failure() instanceof BadRequestException rejection) {
      ProblemResponder.send(ctx, Problem.of(ProblemType.INVALID_REQUEST, detail(ctx, rejection)));
    } else {
      ctx.next();
    }
  }

  private String detail(RoutingContext ctx, BadRequestException rejection) {
    if (ctx.body().isEmpty()) {
      return "request body: expected " + EXPECTED_BODY + ", got an empty body";
    }
    if (rejection instanceof BodyProcessorException e
        && e.getErrorType() == BodyProcessorException.BodyProcessorErrorType.VALIDATION_ERROR) {
      return schemaFindings(Json.decodeValue(ctx.body().buffer()));
    }
    if (rejection instanceof BodyProcessorException e
        && e.getErrorType() == BodyProcessorException.BodyProcessorErrorType.PARSING_ERROR) {
      return "request body: expected " + EXPECTED_BODY + ", got malformed JSON";
    }
    return "request body: " + rejection.getMessage();
  }

  /**
   * One sentence per offending field, in a stable order, from the keywords the schema found
   * violated.
   */
  private String schemaFindings(Object body) {
    OutputUnit output = explainer.validate(body);
    Set<String> violated =
        output.getErrors() == null
            ? Set.of()
            : output.getErrors().stream()
                .map(OutputUnit::getKeywordLocation)
                .collect(Collectors.toSet());
    if (!(body instanceof JsonObject object)) {
      return "request body: expected " + EXPECTED_BODY + ", got " + kindOf(body);
    }
    List<String> findings = new ArrayList<>();
    for (String field : FIELDS) {
      if (!object.containsKey(field) && violated.contains("#/required")) {
        findings.add(field + ": missing; expected a string holding " + DATE_FORM);
      } else if (violated.contains("#/properties/" + field + "/type")) {
        findings.add(
            field
                + ": expected a string holding "
                + DATE_FORM
                + ", got "
                + ClientValue.quote(object.getValue(field)));
      }
    }
    if (violated.contains("#/additionalProperties")) {
      object.fieldNames().stream()
          .filter(name -> !FIELDS.contains(name))
          .sorted()
          .forEach(
              name ->
                  findings.add(
                      name
                          + ": unexpected field; only "
                          + START_DATE
                          + " and "
                          + END_DATE
                          + " are allowed"));
    }
    return findings.isEmpty()
        ? "request body: expected " + EXPECTED_BODY
        : String.join("; ", findings);
  }

  private static String kindOf(Object json) {
    if (json == null) {
      return "null";
    }
    if (json instanceof JsonArray) {
      return "an array";
    }
    if (json instanceof String) {
      return "a string";
    }
    if (json instanceof Boolean) {
      return "a boolean";
    }
    return "a number";
  }
}
