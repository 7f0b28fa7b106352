# Multi-stage build: Maven builds the fat jar, a JRE image runs it in any role.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# poms first, so dependency downloads are cached while sources change
COPY pom.xml ./
COPY core/pom.xml core/
COPY dev-services/pom.xml dev-services/
COPY merge-verticle/pom.xml merge-verticle/
COPY log-generator/pom.xml log-generator/
COPY http-verticle/pom.xml http-verticle/
COPY launcher/pom.xml launcher/
COPY cluster-tests/pom.xml cluster-tests/
RUN mvn -B -q -pl launcher -am dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -B -q -pl launcher -am -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 logmerge
WORKDIR /app
COPY --from=build /src/launcher/target/logmerge.jar /app/logmerge.jar
COPY docker/entrypoint.sh /app/entrypoint.sh
USER logmerge
# REST API, Hazelcast, event bus
EXPOSE 6543 5701 5801
ENV EVENT_BUS_PORT=5801
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["all"]
