# syntax=docker/dockerfile:1
#
# appdb-operator image: the same shaded jar that `java -jar operator/target/appdb-operator.jar` runs.
#
#   docker build -t appdb-operator:dev \
#     --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
#
# The runtime needs no writable path but /tmp (an emptyDir in the Helm chart), so the pod runs with
# readOnlyRootFilesystem: true.

# ---- build ------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole reactor, because Maven reads every module's pom even when building one (-pl); what
# must not reach the build (target/, .git, IDE files) is listed in .dockerignore.
COPY . .
# The cache mount keeps ~/.m2 between builds without putting it in a layer.
# mdep.skip: the test-only PostgreSQL binaries the operator module copies are not needed here.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -pl operator -am package -DskipTests -Dmdep.skip=true \
 && cp operator/target/appdb-operator.jar /appdb-operator.jar

# ---- runtime ----------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre

ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown

LABEL org.opencontainers.image.title="appdb-operator" \
      org.opencontainers.image.description="Kubernetes operator that provisions databases and users on shared PostgreSQL and MySQL servers" \
      org.opencontainers.image.source="https://github.com/appdb/appdb-operator" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="appdb" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"

# MaxRAMPercentage sizes the heap from the container's memory limit instead of a fixed -Xmx.
# -XX:-UsePerfData stops the JVM writing hsperfdata files; ExitOnOutOfMemoryError lets Kubernetes
# restart a broken operator rather than keep a half-alive one. user.home is set because UID 65532
# has no passwd entry, for which Java 17 reports "?".
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.io.tmpdir=/tmp -Duser.home=/tmp" \
    HOME=/tmp

COPY --from=build --chown=0:0 --chmod=0444 /appdb-operator.jar /app/appdb-operator.jar

# Numeric, so that Kubernetes can verify runAsNonRoot without a passwd lookup.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/appdb-operator.jar"]
